"""schema.org data about authors, as plain dicts for the `jsonld` template filter."""


def person(author, request, *, with_links=False):
    """A schema.org Person. `with_links` adds the author's profiles elsewhere (sameAs),
    read from `author.links`: prefetch them, and select the photo."""
    photo = author.social_photo
    data = {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "jobTitle": author.role,
        "image": request.build_absolute_uri(photo["url"]) if photo else None,
        "sameAs": [link.url for link in author.links.all()] if with_links else None,
    }
    return {key: value for key, value in data.items() if value}


def profile_page(author, request):
    """The author page as a schema.org ProfilePage about the author."""
    main_entity = {**person(author, request, with_links=True), "description": author.bio}
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "dateCreated": author.created.isoformat(timespec="seconds"),
        "dateModified": author.modified.isoformat(timespec="seconds"),
        "mainEntity": {key: value for key, value in main_entity.items() if value},
    }
    return data
