"""Walk lists, in one place: the models, cutting and assigning (services), the one read model of a list's
doors and its progress (selectors), and the organiser's cut and assign pages (views, forms). The models belong
to the `canvass` app; the API endpoints stay in `canvass.api`, the pages' templates with their apps."""
