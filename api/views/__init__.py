"""API views: one viewset per resource, thin: querysets from the models' `for_api()`,
writes through factbase.services."""
