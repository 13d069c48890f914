"""The review workflow: states and who may take each step (states.py), the transitions
and the base every reviewed record shares (models.py), the steps (services.py), and the
staff pages and admin that call them."""
