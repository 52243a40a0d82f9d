"""axe-core finds no critical or serious WCAG 2 A/AA problem in what the workflow adds to
the admin: the article form's checklist, publishing inputs and workflow buttons, and the
three queues. (Django's own breadcrumbs and the third-party editor widgets are not ours.)"""

import pytest

from tests.browser.test_staff_journeys import sign_in
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.gates import AXE_JS, require

BLOCKING = {"critical", "serious"}
OURS_ON_THE_FORM = [
    ".preflight",
    ".field-state_label",
    ".field-embargo",
    ".field-schedule_for",
    ".field-return_note",
    ".workflow-buttons",
]


def blocking_violations(page, selectors):
    page.evaluate(AXE_JS.read_text())  # evaluate, not a script tag: the page's CSP forbids that
    result = page.evaluate(
        """(include) => axe.run({include: include.map((selector) => [selector])},
            {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})""",
        selectors,
    )
    assert result["passes"], "axe ran no rule on this page"
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def workflow(transactional_db):
    editor = UserFactory(username="editor", groups=["Editors"])
    draft = ArticleFactory(
        created_by=editor, summary="", status="in_review", authors=[AuthorFactory()]
    )
    ArticleFactory.create_batch(2, status="in_review", created_by=editor)
    ArticleFactory.create_batch(2, scheduled=True, ready=True)
    return {
        f"/admin/articles/article/{draft.pk}/change/": OURS_ON_THE_FORM,
        "/admin/articles/mystory/": ["#content"],
        "/admin/articles/reviewqueueitem/": ["#content"],
        "/admin/articles/scheduledstory/": ["#content"],
    }


def test_the_workflow_pages_have_no_serious_accessibility_problems(live_server, page, workflow):
    require(AXE_JS.exists(), "axe-core (npm)")
    sign_in(page, live_server.url, "editor")
    problems = {}
    for path, selectors in workflow.items():
        page.goto(live_server.url + path)
        found = blocking_violations(page, selectors)
        if found:
            problems[path] = found
    assert problems == {}
