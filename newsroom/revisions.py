"""Shared by the articles and authors services: saves made outside the admin record
revisions too (the admin's History lists them with who made them)."""

import functools

import reversion


def records_revision(comment):
    """Decorate a service whose saves change content: everything it saves goes into one
    revision by its `by` keyword argument, with `comment`. Inside an outer revision (an
    admin view) the saves join that one instead."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            with reversion.create_revision():
                reversion.set_user(kwargs.get("by"))
                reversion.set_comment(comment)
                return service(*args, **kwargs)

        return wrapper

    return decorate
