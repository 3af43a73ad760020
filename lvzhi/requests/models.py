"""Models of the people's side: each family in its own module, imported here for Django."""
