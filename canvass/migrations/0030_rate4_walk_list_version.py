"""A walk list's version, raised by the database whenever what the list shows may have changed.

On PostgreSQL, statement-level triggers (one UPDATE per statement, whatever its size) raise `version` on the
lists whose doors, voters, addresses, polling district codes, ward target entries, assigned volunteers or
those volunteers' names a statement changed, and on the list itself when its row is updated. Contacts raise
nothing: the validator counts them as it reads (`canvass.walklists.version`), so a sync takes no lock on a
walk list row. Elsewhere (SQLite) the validator reads the rows themselves and the column stays 0.
"""

from django.conf import settings
from django.db import migrations, models

TRIGGERS = r"""
CREATE FUNCTION canvass_walk_list_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;  -- every update raises it, so a save with a stale value cannot lower it
    RETURN NEW;
END $$;
CREATE TRIGGER walk_list_version_raise BEFORE UPDATE ON canvass_walklist
    FOR EACH ROW EXECUTE FUNCTION canvass_walk_list_version_raise();

-- Raise these lists' versions, locking their rows in id order (two writers cannot deadlock on them).
CREATE FUNCTION canvass_walk_lists_touch(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE canvass_walklist SET version = version + 1
    WHERE id IN (SELECT id FROM canvass_walklist WHERE id = ANY(ids) ORDER BY id FOR UPDATE)
$$;

-- The lists with a door at these households.
CREATE FUNCTION canvass_walk_lists_at(households bigint[]) RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(DISTINCT walk_list_id), '{}') FROM canvass_walklisthousehold
    WHERE household_id = ANY(households)
$$;

CREATE FUNCTION canvass_walk_list_stops_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT DISTINCT walk_list_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT DISTINCT walk_list_id FROM old_rows));
    ELSE
        PERFORM canvass_walk_lists_touch(
            ARRAY(SELECT walk_list_id FROM new_rows UNION SELECT walk_list_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION canvass_walk_list_households_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM canvass_walk_lists_touch(canvass_walk_lists_at(ARRAY(SELECT id FROM old_rows)));
    ELSE
        PERFORM canvass_walk_lists_touch(canvass_walk_lists_at(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ROW(n.*) IS DISTINCT FROM ROW(o.*))));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION canvass_walk_list_voters_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM canvass_walk_lists_touch(canvass_walk_lists_at(ARRAY(SELECT DISTINCT household_id FROM new_rows)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM canvass_walk_lists_touch(canvass_walk_lists_at(ARRAY(SELECT DISTINCT household_id FROM old_rows)));
    ELSE
        PERFORM canvass_walk_lists_touch(canvass_walk_lists_at(ARRAY(
            SELECT unnest(ARRAY[n.household_id, o.household_id])
            FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ROW(n.*) IS DISTINCT FROM ROW(o.*))));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION canvass_walk_list_districts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A voter's reference shows the district's code.
    PERFORM canvass_walk_lists_touch(canvass_walk_lists_at(ARRAY(
        SELECT DISTINCT v.household_id FROM canvass_voter v
        WHERE v.polling_district_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.code IS DISTINCT FROM o.code))));
    RETURN NULL;
END $$;

CREATE FUNCTION canvass_walk_list_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The answer names the volunteers a list is assigned to.
    IF TG_OP = 'INSERT' THEN
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT DISTINCT walklist_id FROM new_rows));
    ELSE
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT DISTINCT walklist_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION canvass_walk_list_volunteers_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- ... by their display names (every sign-in updates the user's row: only a changed name counts).
    PERFORM canvass_walk_lists_touch(ARRAY(
        SELECT DISTINCT a.walklist_id FROM {assigned} a WHERE a.user_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.first_name, n.last_name, n.{username})
                  IS DISTINCT FROM (o.first_name, o.last_name, o.{username}))));
    RETURN NULL;
END $$;

CREATE FUNCTION canvass_walk_list_targets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A voter's target reason comes from the ward's entries: every list of the ward.
    IF TG_OP = 'INSERT' THEN
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT id FROM canvass_walklist
            WHERE ward_id IN (SELECT DISTINCT ward_id FROM new_rows)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT id FROM canvass_walklist
            WHERE ward_id IN (SELECT DISTINCT ward_id FROM old_rows)));
    ELSE
        PERFORM canvass_walk_lists_touch(ARRAY(SELECT id FROM canvass_walklist
            WHERE ward_id IN (SELECT ward_id FROM new_rows UNION SELECT ward_id FROM old_rows)));
    END IF;
    RETURN NULL;
END $$;
"""


def _statement_triggers(table: str, function: str, events: tuple[str, ...]) -> str:
    tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
              "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}  # fmt: skip
    return "".join(
        f"CREATE TRIGGER walk_list_version_{event.lower()} AFTER {event} ON {table} REFERENCING {tables[event]}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n"
        for event in events
    )


ALL = ("INSERT", "UPDATE", "DELETE")
ON_TABLES = (
    ("canvass_walklisthousehold", "canvass_walk_list_stops_changed", ALL),
    ("canvass_household", "canvass_walk_list_households_changed", ("UPDATE", "DELETE")),
    ("canvass_voter", "canvass_walk_list_voters_changed", ALL),
    ("wards_pollingdistrict", "canvass_walk_list_districts_changed", ("UPDATE",)),
    ("wards_targetlistentry", "canvass_walk_list_targets_changed", ALL),
    ("{assigned}", "canvass_walk_list_assignment_changed", ("INSERT", "DELETE")),
    ("{users}", "canvass_walk_list_volunteers_renamed", ("UPDATE",)),
)
FUNCTIONS = (
    "canvass_walk_list_version_raise()",
    "canvass_walk_lists_touch(bigint[])",
    "canvass_walk_lists_at(bigint[])",
    *(f"{function}()" for _, function, _ in ON_TABLES),
)


def _names(apps) -> dict[str, str]:
    users = apps.get_model(settings.AUTH_USER_MODEL)
    assigned = apps.get_model("canvass", "WalkList")._meta.get_field("assigned_to").remote_field.through
    username = getattr(users, "USERNAME_FIELD", "username")  # historical models lack it
    return {"assigned": assigned._meta.db_table, "users": users._meta.db_table, "username": username}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    names = _names(apps)
    triggers = "".join(_statement_triggers(table.format(**names), *rest) for table, *rest in ON_TABLES)
    schema_editor.execute(TRIGGERS.replace("{assigned}", names["assigned"]).replace("{username}", names["username"]))
    schema_editor.execute(triggers)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    names = _names(apps)
    statements = ["DROP TRIGGER IF EXISTS walk_list_version_raise ON canvass_walklist;"]
    for table, _, events in ON_TABLES:
        table = table.format(**names)
        statements += [f"DROP TRIGGER IF EXISTS walk_list_version_{event.lower()} ON {table};" for event in events]
    statements += [f"DROP FUNCTION IF EXISTS {function};" for function in FUNCTIONS]
    schema_editor.execute("\n".join(statements))


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("canvass", "0029_build4_contact_latest_id_tiebreak"),
        ("wards", "0013_dash3_target_position_walk_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="walklist",
            name="version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
