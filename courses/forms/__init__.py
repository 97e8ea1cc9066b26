"""The forms of the courses pages, one module per area. They parse input only; the services decide,
and a service's DomainError lands on the field it names (core.forms.DomainErrorForm)."""
