"""Fill the database with a fictional demo newsroom, and optionally a large archive.

    python manage.py seed_demo
    python manage.py seed_demo --articles 100000 --authors 300 --sections 40 --tags 2000

The demo set (sections, tags, authors with portraits, about sixty articles with pictures,
and the admin, reporter and editor logins) is keyed on slugs and usernames: running the
command again creates nothing new and leaves existing rows as they are. `--articles N`
adds N more archive articles with bulk inserts on every run, for benchmarks.
"""

import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from articles import demo
from articles.models import (
    Article,
    BreakingNews,
    Byline,
    Correction,
    HomeSlot,
    Section,
    Tag,
    sanitize_body,
)
from articles.services import refresh_search_names
from authors.models import Author, AuthorLink
from photos.models import Image
from photos.services import add_image

# Demo logins: (username, password, group, author slug). Local development only.
LOGINS = [
    ("admin", "newsroom-demo-admin", None, None),
    ("reporter", "newsroom-demo-reporter", "Reporters", "marek-halden"),
    ("editor", "newsroom-demo-editor", "Editors", "lena-marsh"),
]

# How many demo articles of each kind; most are short news items.
DEMO_KINDS = {"news": 32, "story": 11, "analysis": 8, "opinion": 9}
DRAFTS = 4  # not yet released: the first IN_REVIEW of them are waiting for an editor
IN_REVIEW = 2
SCHEDULED = 2
DEMO_DAYS = 4

# Defaults for the extra rows when --articles is given.
EXTRA_AUTHORS = 300
EXTRA_SECTIONS = 40
EXTRA_TAGS = 2000

ARCHIVE_BATCH = 5000
INSERT_BATCH = 2000
ARCHIVE_YEARS = 10
ARCHIVE_KINDS = ["news"] * 12 + ["story"] * 3 + ["analysis"] * 2 + ["opinion"] * 3
BODIES_PER_TOPIC = 3


class Command(BaseCommand):
    help = "Create a fictional demo newsroom; with --articles, add a large archive too."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            help="Also bulk-create this many archive articles (added on every run).",
        )
        parser.add_argument(
            "--authors",
            type=int,
            help=f"Make sure at least this many authors exist "
            f"(default {EXTRA_AUTHORS} with --articles).",
        )
        parser.add_argument(
            "--sections",
            type=int,
            help=f"Make sure at least this many sections exist "
            f"(default {EXTRA_SECTIONS} with --articles).",
        )
        parser.add_argument(
            "--tags",
            type=int,
            help=f"Make sure at least this many tags exist (default {EXTRA_TAGS} with --articles).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            self.seed_sections()
            self.seed_tags()
            self.seed_authors()
            self.seed_articles()
            self.seed_corrections()
            logins = self.seed_logins()
            self.seed_staff_accounts()
            self.seed_workflow()
            self.seed_front_page()
        self.stdout.write(f"Demo set ready in {time.monotonic() - started:.1f}s.")
        self.seed_extras(options)
        if options["articles"] > 0:
            self.seed_archive(options["articles"])
        refresh_search_names(articles=Article.objects.all())
        self.write_summary(logins, time.monotonic() - started)

    # The demo set ------------------------------------------------------------------------

    def seed_sections(self):
        new = 0
        for number, (name, description) in enumerate(demo.SECTIONS, start=1):
            defaults = {"name": name, "description": description, "position": number * 10}
            _, created = Section.objects.get_or_create(slug=slugify(name), defaults=defaults)
            new += created
        self.stdout.write(f"Sections: {len(demo.SECTIONS)} ({new} new)")

    def seed_tags(self):
        new = 0
        for name in demo.TAGS:
            _, created = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            new += created
        self.stdout.write(f"Tags: {len(demo.TAGS)} ({new} new)")

    def seed_authors(self):
        new = 0
        for profile in demo.AUTHORS:
            author, created = Author.objects.get_or_create(
                slug=slugify(profile["name"]), defaults=author_fields(profile)
            )
            new += created
            if author.photo_id is None:
                author.photo = portrait_photo(author)
                author.save(update_fields=["photo"])
            for position, (kind, url) in enumerate(profile["links"]):
                AuthorLink.objects.get_or_create(
                    author=author, url=url, defaults={"kind": kind, "position": position}
                )
        self.stdout.write(f"Authors: {len(demo.AUTHORS)} ({new} new)")

    def seed_articles(self):
        sections = {section.name: section for section in Section.objects.all()}
        tags = {tag.name: tag for tag in Tag.objects.all()}
        authors = {author.slug: author for author in Author.objects.all()}
        now = timezone.now()
        new = 0
        for plan in plan_articles():
            fields = article_fields(plan, sections[plan["section"]], now)
            article, created = Article.objects.get_or_create(slug=plan["slug"], defaults=fields)
            if created:
                add_relations(article, plan, tags, authors)
                new += 1
        self.stdout.write(f"Articles: {sum(DEMO_KINDS.values())} ({new} new)")

    def seed_corrections(self):
        """A correction and a clarification on the newest live stories, made once."""
        if Correction.objects.exists():
            self.stdout.write(f"Corrections: {Correction.objects.count()} (none new)")
            return
        stories = Article.objects.published().newest_first()[: len(demo.CORRECTIONS)]
        for article, (kind, text) in zip(stories, demo.CORRECTIONS, strict=False):
            Correction.objects.create(article=article, kind=kind, text=text)
        self.stdout.write(f"Corrections: {Correction.objects.count()} new")

    def seed_logins(self):
        lines = []
        for username, password, group_name, author_slug in LOGINS:
            user, created = ensure_user(username, password, superuser=group_name is None)
            if group_name:
                user.groups.add(*Group.objects.filter(name=group_name))
            if author_slug:
                link_author(user, author_slug)
            shown = password if created else "(existing user: password left unchanged)"
            lines.append(f"  {username:<9} {shown}")
        self.stdout.write(f"Logins: {len(LOGINS)} checked")
        return lines

    def seed_staff_accounts(self):
        """Staff writers get a login of their own (no usable password until an administrator
        sets one), so only the guest contributors show as "Contributor"."""
        staff = [p for p in demo.AUTHORS if not p.get("guest") and not p.get("login")]
        reporters = Group.objects.filter(name="Reporters")
        for profile in staff:
            slug = slugify(profile["name"])
            user, created = get_user_model().objects.get_or_create(
                username=slug, defaults={"email": f"{slug}@example.org", "is_staff": True}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(*reporters)
            link_author(user, slug)
        self.stdout.write(f"Staff accounts: {len(staff)} checked")

    def seed_workflow(self):
        """The unreleased demo stories belong to the demo reporter, so "My stories" and the
        review queue have something in them; one draft has come back with a note."""
        users = get_user_model().objects
        reporter, editor = users.get(username="reporter"), users.get(username="editor")
        unclaimed = Article.objects.filter(
            slug__in=[plan["slug"] for plan in plan_articles()],
            status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW],
            created_by__isnull=True,
        ).order_by("slug")
        now = timezone.now()
        for number, article in enumerate(unclaimed):
            article.created_by = reporter
            if article.status == Article.Status.IN_REVIEW:
                article.submitted_by, article.submitted_at = reporter, now - timedelta(hours=2)
                stamp(article, Article.Transition.SUBMITTED, reporter, article.submitted_at)
            elif number % 2 == 0:
                article.review_note = "Good start: add a second source and a lead photo."
                stamp(article, Article.Transition.RETURNED, editor, now - timedelta(hours=1))
            article.save()
        self.stdout.write(f"Reporter's stories: {len(unclaimed)} assigned")

    def seed_front_page(self):
        """The editors' picks for the home page (one waiting for its time) and a breaking
        story whose banner ends an hour after the first run."""
        editor = get_user_model().objects.filter(username="editor").first()
        published = Article.objects.published().newest_first().with_lead_photo()
        picks = list(published.exclude(kind=Article.Kind.NEWS)[2:5])
        windows = [{}, {}, {"starts_at": timezone.now() + timedelta(hours=2)}]
        positions = [HomeSlot.Position.LEAD, HomeSlot.Position.TOP_2, HomeSlot.Position.LEAD]
        if not HomeSlot.objects.exists():
            for position, article, window in zip(positions, picks, windows, strict=False):
                HomeSlot.objects.create(position=position, article=article, **window)
        news = Article.objects.published().newest_first().filter(kind=Article.Kind.NEWS).first()
        if news and not BreakingNews.objects.exists():
            BreakingNews.objects.create(article=news, created_by=editor)
        live = BreakingNews.objects.live().first()
        until = f"breaking until {timezone.localtime(live.expires_at):%H:%M}" if live else "none"
        self.stdout.write(f"Home page slots: {HomeSlot.objects.count()}; breaking news: {until}")

    # Extra rows for benchmarks -------------------------------------------------------------

    def seed_extras(self, options):
        with_archive = options["articles"] > 0
        wanted = {
            "sections": options["sections"] or (EXTRA_SECTIONS if with_archive else 0),
            "authors": options["authors"] or (EXTRA_AUTHORS if with_archive else 0),
            "tags": options["tags"] or (EXTRA_TAGS if with_archive else 0),
        }
        made = {
            "sections": add_sections(wanted["sections"]),
            "authors": add_authors(wanted["authors"]),
            "tags": add_tags(wanted["tags"]),
        }
        for label, count in made.items():
            if count:
                self.stdout.write(f"Extra {label}: {count:,} new")

    def seed_archive(self, count):
        archive = Archive()
        self.stdout.write(f"Archive: adding {count:,} articles")
        started = time.monotonic()
        done = 0
        while done < count:
            size = min(ARCHIVE_BATCH, count - done)
            with transaction.atomic():
                archive.insert(size)
            done += size
            rate = done / max(time.monotonic() - started, 0.001)
            self.stdout.write(f"  {done:,} / {count:,} articles ({rate:,.0f}/s)")

    def write_summary(self, logins, elapsed):
        articles = Article.objects.all()
        published = articles.published().count()
        drafts = articles.filter(status=Article.Status.DRAFT).count()
        in_review = articles.filter(status=Article.Status.IN_REVIEW).count()
        scheduled = articles.scheduled()
        self.stdout.write(
            self.style.SUCCESS(f"Done in {elapsed:.1f}s.")
            + f"\n  Sections {Section.objects.count():,}, tags {Tag.objects.count():,}, "
            f"authors {Author.objects.count():,}, author links {AuthorLink.objects.count():,}, "
            f"library photos {Image.objects.count():,} ({Image.objects.expired().count()} expired)"
            f"\n  Articles {articles.count():,}: {published:,} published, {drafts:,} drafts, "
            f"{in_review:,} in review, {scheduled.count():,} scheduled; "
            f"bylines {Byline.objects.count():,}"
            "\nLogins for /admin/ (local demo only):\n" + "\n".join(logins)
        )


# The demo set: plain functions -------------------------------------------------------------


def author_fields(profile):
    email = "" if profile.get("guest") else f"{slugify(profile['name'])}@example.org"
    return {
        "name": profile["name"],
        "role": profile["role"],
        "bio": profile["bio"],
        "email": email,
    }


def plan_articles():
    """The demo articles as plain data, the same on every run: slugs must not change."""
    rng = demo.seeded("seed-demo")
    kinds = [kind for kind, count in DEMO_KINDS.items() for _ in range(count)]
    rng.shuffle(kinds)
    special = rng.sample(range(len(kinds)), DRAFTS + SCHEDULED)
    topics = {
        kind: rng.sample(demo.topics_for(kind), len(demo.topics_for(kind))) for kind in DEMO_KINDS
    }
    used = set()
    plans = []
    for number, kind in enumerate(kinds):
        turn = kinds[:number].count(kind)
        topic = topics[kind][turn % len(topics[kind])]
        variant = turn // len(topics[kind]) if kind == "news" else turn
        plan = unique_text(rng, kind, topic, variant, used)
        plan.update(schedule(rng, number, len(kinds), special), kind=kind)
        plan.update(picture_plan(rng, kind))
        plan["bylines"] = pick_bylines(rng, plan)
        plans.append(plan)
    for plan, url in zip(rng.sample(video_candidates(plans), 2), demo.VIDEO_URLS, strict=True):
        plan["video_url"] = url
    # Chosen without the generator, so the slugs and texts above stay as they were.
    pictured = [p for p in plans if p["picture"] and (p["hours_ago"] or 0) > 0]
    pictured[len(pictured) // 2]["expired"] = True
    return plans


def unique_text(rng, kind, topic, variant, used):
    for attempt in range(20):
        text = demo.article_text(rng, kind, topic, variant + attempt)
        if text["title"] not in used:
            break
    used.add(text["title"])
    slug = slugify(text["title"])[:80].strip("-")
    while slug in used:
        slug = f"{slug}-2"
    used.add(slug)
    section = "Opinion" if kind == "opinion" else topic["section"]
    tags = rng.sample(topic["tags"], rng.randint(1, len(topic["tags"])))
    return {**text, "slug": slug, "section": section, "tags": tags}


def schedule(rng, number, total, special):
    """Status and times: published over the last few days, a few drafts, two scheduled."""
    hours_ago = (number + rng.random()) * DEMO_DAYS * 24 / total + 0.2
    if number in special[:IN_REVIEW]:
        return {"status": Article.Status.IN_REVIEW, "hours_ago": None, "updated_after": None}
    if number in special[:DRAFTS]:
        return {"status": Article.Status.DRAFT, "hours_ago": None, "updated_after": None}
    if number in special[DRAFTS:]:
        ahead = rng.uniform(3, 40)
        return {"status": Article.Status.PUBLISHED, "hours_ago": -ahead, "updated_after": None}
    updated = rng.randint(40, 150) if hours_ago > 3 and rng.random() < 0.25 else None
    return {"status": Article.Status.PUBLISHED, "hours_ago": hours_ago, "updated_after": updated}


def picture_plan(rng, kind):
    if rng.random() >= (0.85 if kind != "news" else 0.15):
        return {"picture": False}
    return {"picture": True, "credit": rng.choice(demo.PHOTO_CREDITS)}


def pick_bylines(rng, plan):
    writers = [a for a in demo.AUTHORS if plan["section"] in a["beats"]]
    count = min(len(writers), rng.choices([1, 2, 3], weights=[70, 22, 8])[0])
    names = [a["name"] for a in rng.sample(writers, count)]
    if plan["picture"] and plan["kind"] == "story" and "Ana Kovac" not in names:
        names.append("Ana Kovac")
    return [slugify(name) for name in names[:3]]


def video_candidates(plans):
    return [p for p in plans if p["kind"] in ("news", "story") and p["status"] == "published"]


def article_fields(plan, section, now):
    published_at = updated_at = None
    if plan["hours_ago"] is not None:
        published_at = now - timedelta(hours=plan["hours_ago"])
    if plan["updated_after"]:
        updated_at = published_at + timedelta(minutes=plan["updated_after"])
    return {
        "title": plan["title"],
        "kind": plan["kind"],
        "summary": plan["summary"],
        "body": plan["body"],
        "section": section,
        "status": plan["status"],
        "published_at": published_at,
        "updated_at": updated_at,
        "video_url": plan.get("video_url", ""),
    }


def add_relations(article, plan, tags, authors):
    Byline.objects.bulk_create(
        Byline(article=article, author=authors[slug], position=position)
        for position, slug in enumerate(plan["bylines"])
    )
    article.tags.set([tags[name] for name in plan["tags"]])
    if plan["picture"]:
        article.lead_image = lead_photo(article, plan)
        article.save(update_fields=["lead_image"])


def portrait_photo(author):
    name = f"{author.slug}.jpg"
    return add_image(
        file=ContentFile(demo.portrait(author.name), name=name),
        alt_text=author.name,
        credit="Photo: Meridian Photo Desk",
        source="Staff",
        keywords="portrait",
        # Faces sit a little above the middle of a portrait.
        focal_y=0.4,
    )


def lead_photo(article, plan):
    """The story's drawn picture, in the photo library. One agency photo's licence has
    run out, so the photo desk has something to find under "Expired"."""
    data, alt = demo.scene(article.slug)
    rng = demo.seeded(f"focal-{article.slug}")
    expires = None
    if plan.get("expired"):
        expires = timezone.localdate() - timedelta(days=3)
    elif "Agency" in plan["credit"]:
        expires = timezone.localdate() + timedelta(days=rng.choice([5, 60, 365]))
    return add_image(
        file=ContentFile(data, name=f"{article.slug}.jpg"),
        alt_text=alt,
        caption=plan["caption"],
        credit=plan["credit"],
        source=plan["credit"].split(" / ")[-1].removeprefix("Photo: "),
        keywords=", ".join(plan["tags"]),
        usage_expires=expires,
        focal_x=round(rng.uniform(0.3, 0.7), 2),
        focal_y=round(rng.uniform(0.35, 0.65), 2),
    )


def stamp(article, transition, by, at):
    article.last_transition = transition
    article.last_transition_by, article.last_transition_at = by, at


def ensure_user(username, password, superuser=False):
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user:
        return user, False
    email = f"{username}@example.org"
    if superuser:
        return users.create_superuser(username, email, password), True
    return users.create_user(username, email, password, is_staff=True), True


def link_author(user, slug):
    """Give the demo author this login, unless either is already linked."""
    if Author.objects.filter(user=user).exists():
        return
    author = Author.objects.filter(slug=slug, user__isnull=True).first()
    if author:
        author.user = user
        author.save(update_fields=["user"])
        first, _, last = author.name.partition(" ")
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])


# Extra rows: bulk inserts ------------------------------------------------------------------


def fresh_names(candidates, taken, count, fallback):
    """`count` names whose slugs are not taken: from candidates, then numbered fallbacks."""
    names = []
    number = 0
    while len(names) < count:
        name = next(candidates, None)
        if name is None:
            number += 1
            name = f"{fallback} {number}"
        if slugify(name) not in taken:
            taken.add(slugify(name))
            names.append(name)
    return names


def taken_slugs(model):
    rows = model.objects.values_list("slug", "name")
    return {slugify(value) for row in rows for value in row}


def add_sections(wanted):
    missing = wanted - Section.objects.count()
    if missing <= 0:
        return 0
    names = fresh_names(demo.section_names(), taken_slugs(Section), missing, "Desk")
    start = (Section.objects.aggregate(Max("position"))["position__max"] or 0) + 10
    Section.objects.bulk_create(
        Section(name=name, slug=slugify(name), position=min(start + n * 10, 32767))
        for n, name in enumerate(names)
    )
    return missing


def add_tags(wanted):
    missing = wanted - Tag.objects.count()
    if missing <= 0:
        return 0
    names = fresh_names(demo.tag_names(), taken_slugs(Tag), missing, "Topic")
    Tag.objects.bulk_create(
        (Tag(name=name, slug=slugify(name)) for name in names), batch_size=INSERT_BATCH
    )
    return missing


def add_authors(wanted):
    missing = wanted - Author.objects.count()
    if missing <= 0:
        return 0
    taken = set(Author.objects.values_list("slug", flat=True))
    names = fresh_names(demo.author_names(), taken, missing, "Contributor")
    rng = demo.seeded(f"authors-{len(taken)}")
    Author.objects.bulk_create((extra_author(rng, name) for name in names), batch_size=INSERT_BATCH)
    return missing


def extra_author(rng, name):
    role = rng.choice(demo.EXTRA_ROLES)
    bio = f"{name} is a {role.lower()} based in {rng.choice(demo.TOWNS)}. "
    bio += f"They write about {rng.choice(demo.TAG_SUBJECTS)} and {rng.choice(demo.TAG_SUBJECTS)}."
    return Author(name=name, slug=slugify(name), role=role, bio=bio)


class Archive:
    """Builds and inserts archive articles: ready-made bodies, fresh headlines and slugs.

    Slugs end in a number above the highest article id. Each earlier archive row has an id
    at least as high as its own number (ids grow with every insert), so new numbers cannot
    collide with any existing slug.
    """

    def __init__(self):
        self.next_number = (Article.objects.aggregate(Max("id"))["id__max"] or 0) + 1
        self.rng = demo.seeded(f"archive-{self.next_number}")
        self.now = timezone.now()
        self.sections = dict(Section.objects.values_list("name", "id"))
        self.section_ids = list(self.sections.values())
        self.author_ids = list(Author.objects.values_list("id", flat=True))
        self.tag_ids = list(Tag.objects.values_list("id", flat=True))
        # Library photos, shared by many archive stories as agencies' photos are.
        self.pictures = list(Image.objects.usable().values_list("pk", flat=True)[:20])
        self.bodies = body_pool(self.rng)

    def insert(self, size):
        articles = [self.article() for _ in range(size)]
        Article.objects.bulk_create(articles, batch_size=INSERT_BATCH)
        if articles[0].pk is None:
            ids = dict(
                Article.objects.filter(slug__in=[a.slug for a in articles]).values_list(
                    "slug", "id"
                )
            )
            for article in articles:
                article.pk = ids[article.slug]
        Byline.objects.bulk_create(self.bylines(articles), batch_size=INSERT_BATCH)
        Article.tags.through.objects.bulk_create(self.tag_rows(articles), batch_size=INSERT_BATCH)

    def article(self):
        rng = self.rng
        kind = rng.choice(ARCHIVE_KINDS)
        topic_number = rng.randrange(len(demo.topics_for(kind)))
        topic = demo.topics_for(kind)[topic_number]
        values = demo.topic_values(rng, topic)
        title = demo.headline(rng, topic, kind, values)
        body, word_count = rng.choice(self.bodies[kind, topic_number])
        published_at = self.now - timedelta(seconds=rng.randrange(ARCHIVE_YEARS * 365 * 86400))
        updated = rng.random() < 0.15
        number = self.next_number
        self.next_number += 1
        article = Article(
            title=title,
            slug=f"archive-{slugify(title)[:80].strip('-')}-{number}",
            kind=kind,
            summary=demo.summary(rng, topic, kind, values),
            body=body,
            word_count=word_count,
            section_id=self.section_for(kind, topic),
            status=Article.Status.PUBLISHED,
            published_at=published_at,
            updated_at=published_at + timedelta(minutes=rng.randint(30, 180)) if updated else None,
        )
        if kind != "news" and self.pictures and rng.random() < 0.4:
            self.add_picture(article)
        return article

    def section_for(self, kind, topic):
        name = "Opinion" if kind == "opinion" else topic["section"]
        if name in self.sections and self.rng.random() < 0.7:
            return self.sections[name]
        return self.rng.choice(self.section_ids)

    def add_picture(self, article):
        article.lead_image_id = self.rng.choice(self.pictures)

    def bylines(self, articles):
        for article in articles:
            count = self.rng.choices([1, 2, 3], weights=[75, 20, 5])[0]
            for position, author_id in enumerate(self.sample(self.author_ids, count)):
                yield Byline(article_id=article.pk, author_id=author_id, position=position)

    def tag_rows(self, articles):
        through = Article.tags.through
        for article in articles:
            for tag_id in self.sample(self.tag_ids, self.rng.randint(1, 3)):
                yield through(article_id=article.pk, tag_id=tag_id)

    def sample(self, ids, count):
        return self.rng.sample(ids, min(count, len(ids)))


def body_pool(rng):
    """A few finished bodies per (kind, topic), cleaned and counted once."""
    pool = {}
    for kind in DEMO_KINDS:
        for number, topic in enumerate(demo.topics_for(kind)):
            bodies = []
            for _ in range(BODIES_PER_TOPIC):
                body = sanitize_body(demo.article_text(rng, kind, topic)["body"])
                bodies.append((body, len(strip_tags(body).split())))
            pool[kind, number] = bodies
    return pool
