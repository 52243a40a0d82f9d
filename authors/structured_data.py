"""schema.org data about authors, as plain dicts for the `jsonld` template filter."""


def person(author, request, *, same_as=()):
    """A schema.org Person; `same_as`, the addresses of the author's profiles elsewhere.
    Select the photo with the author."""
    photo = author.social_photo
    data = {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "jobTitle": author.role,
        "image": request.build_absolute_uri(photo["url"]) if photo else None,
        "sameAs": same_as,
    }
    return {key: value for key, value in data.items() if value}


def profile_page(author, request, links):
    """The author page as a schema.org ProfilePage about the author; `links` are their
    profiles elsewhere, as the page prints them (authors.views.kept_links)."""
    same_as = [link["url"] for link in links]
    main_entity = {**person(author, request, same_as=same_as), "description": author.bio}
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "dateCreated": author.created.isoformat(timespec="seconds"),
        "dateModified": author.modified.isoformat(timespec="seconds"),
        "mainEntity": {key: value for key, value in main_entity.items() if value},
    }
    return data
