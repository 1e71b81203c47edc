"""Who may do what: the one declaration of every role's rights over every model.

`RULES` names, for every model an admin screen or an API route touches, each action (the
four of Django's model permissions, plus the workflow actions) and the roles allowed to do
it. Everything else derives from it:
- the groups' Django permissions (`group_codenames`, applied after every migrate by
  factbase.groups);
- the admin's permission hooks (factbase.admin.mixins.DeclaredPermissions, on every
  ModelAdmin and inline);
- the API's permission class (api.permissions.Declared), from each view's `permission_model`
  and the method (or the viewset action's `permission_action`).
tests/test_permission_matrix.py is generated from it: a model, admin screen or API route
that is not declared here makes it fail.

Reference data (countries, their ISO 3166 codes, the predicate vocabulary) changes only
through its fixture builders, or in the admin by a staff administrator; curators and
reviewers may still add aliases to a country, because an alias is curation. Rules of state
(a published claim is changed by reviewers only, never deleted; anything still cited is not
deleted) belong to the services, which every caller goes through.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured


class Role(StrEnum):
    ANONYMOUS = "anonymous"  # anyone, logged in or not
    CURATOR = "curator"
    REVIEWER = "reviewer"
    ADMINISTRATOR = "administrator"  # a staff administrator: a superuser, or the `administrators` group


GROUPS = {Role.CURATOR: "curators", Role.REVIEWER: "reviewers", Role.ADMINISTRATOR: "administrators"}

EVERYONE = frozenset(Role)
CURATION = frozenset({Role.CURATOR, Role.REVIEWER, Role.ADMINISTRATOR})
REVIEW = frozenset({Role.REVIEWER, Role.ADMINISTRATOR})
STAFF = frozenset({Role.ADMINISTRATOR})
NOBODY: frozenset[Role] = frozenset()

MODEL_ACTIONS = ("view", "add", "change", "delete")  # Django's default model permissions


def reference(**workflow) -> dict[str, frozenset[Role]]:
    """Read by everyone; written only by staff administrators (and the fixture builders)."""
    return {"view": EVERYONE, "add": STAFF, "change": STAFF, "delete": STAFF, **workflow}


def curated(*, view=EVERYONE, **workflow) -> dict[str, frozenset[Role]]:
    """Read by everyone (what a client may see of it is the QuerySet's `visible_to`); written
    by curators, reviewers and staff administrators."""
    return {"view": view, "add": CURATION, "change": CURATION, "delete": CURATION, **workflow}


def staff_only() -> dict[str, frozenset[Role]]:
    return {action: STAFF for action in MODEL_ACTIONS}


# label -> action -> roles. A workflow action's Django permission is `<action>_<model>`,
# declared in the model's Meta.permissions.
RULES: dict[str, dict[str, frozenset[Role]]] = {
    # Reference data.
    "factbase.country": reference(merge=STAFF),
    "factbase.predicate": reference(),
    # Curated data.
    # The list of every kind: each row takes its own kind's rules; entities are added as a
    # person, country, organisation or event.
    "factbase.entity": {**curated(merge=REVIEW), "add": NOBODY},
    "factbase.person": curated(merge=REVIEW),
    "factbase.organisation": curated(merge=REVIEW),
    "factbase.event": curated(merge=REVIEW),
    # Merge records: written only by merging, which the entity's `merge` rule decides; the API
    # reads them for everyone as redirects. `unmerge`: undo merges from their list in the admin
    # (each also needs its kind's `merge`: a country's is staff administrators').
    "factbase.entitymerge": {"view": REVIEW, "add": NOBODY, "change": NOBODY, "delete": NOBODY, "unmerge": REVIEW},
    "factbase.alias": curated(),
    "factbase.identifier": curated(),  # a country's identifiers are its reference record: see OBJECT_RULES
    "factbase.role": curated(),
    "factbase.eventparticipant": curated(),
    # The curation queue (factbase/services/queues.py): `take` a document (or release one's
    # own), `submit` it for review; `assign` it to a curator (or release anyone's), mark it
    # `done` or send it back to curation (reviewers).
    "factbase.document": curated(revise=CURATION, take=CURATION, submit=CURATION, assign=REVIEW, done=REVIEW),
    # `suggest`: see a document's suggested mentions, accept or reject them.
    "factbase.mention": curated(suggest=CURATION),
    "factbase.rejectedsuggestion": curated(view=CURATION),
    # `view_unpublished`: drafts, claims in review and rejected ones; `submit` for review;
    # `publish` also rejects; `import`: a JSON Lines file of entities, documents and claims
    # (`imports/`), each line still held to its own model's rules.
    "factbase.claim": curated(
        view_unpublished=CURATION, submit=CURATION, publish=REVIEW, rank=REVIEW, **{"import": CURATION}
    ),
    "factbase.sourcespan": curated(),
    # Facts group claims by themselves (factbase/services/facts.py): curators split a claim
    # out of one or join two (`change`), nobody adds or deletes one by hand; `rank`: set a
    # fact's or a claim's rank (reviewers).
    "factbase.fact": {"view": EVERYONE, "add": NOBODY, "change": CURATION, "delete": NOBODY, "rank": REVIEW},
    # Found among published claims by the services; resolving one (with a note) is the one
    # change made to it (`resolve`, reviewers).
    "factbase.contradiction": {
        "view": EVERYONE,
        "add": NOBODY,
        "change": REVIEW,
        "delete": NOBODY,
        "resolve": REVIEW,
    },
    # Jobs (factbase/services/jobs.py): started through their own routes (a suggestion scan is
    # `suggest` on mentions, a revision `revise` on documents), never added or changed by hand.
    # A user sees their own jobs (`view`) and cancels them (`cancel`); `view_all`: everyone's;
    # `maintain`: start the operators' jobs (index rebuilds, regrouping facts).
    "factbase.job": {
        "view": CURATION,
        "add": NOBODY,
        "change": NOBODY,
        "delete": NOBODY,
        "cancel": CURATION,
        "view_all": STAFF,
        "maintain": STAFF,
    },
    # Accounts and tokens: staff administrators only.
    "auth.user": staff_only(),
    "auth.group": staff_only(),
    "authtoken.token": staff_only(),
    "authtoken.tokenproxy": staff_only(),
}

# Who is named in a refusal, by the roles allowed.
ROLE_NAMES = {CURATION: "curators", REVIEW: "reviewers", STAFF: "staff administrators"}
# How an action reads in a refusal: "Only reviewers may publish or reject claims."
ACTION_PHRASES = {
    ("factbase.claim", "view_unpublished"): "see draft, in-review and rejected claims",
    ("factbase.claim", "submit"): "submit claims for review",
    ("factbase.claim", "publish"): "publish or reject claims",
    ("factbase.mention", "suggest"): "see and accept mention suggestions",
    ("factbase.document", "revise"): "revise a document's text",
    ("factbase.document", "take"): "take documents to curate",
    ("factbase.document", "submit"): "submit documents for review",
    ("factbase.document", "assign"): "assign documents to curators",
    ("factbase.document", "done"): "mark documents done or send them back to curation",
    ("factbase.entity", "merge"): "merge duplicate entities",
    ("factbase.person", "merge"): "merge duplicate people",
    ("factbase.country", "merge"): "merge countries",
    ("factbase.organisation", "merge"): "merge duplicate organisations",
    ("factbase.event", "merge"): "merge duplicate events",
    ("factbase.entitymerge", "unmerge"): "undo merges",
    ("factbase.fact", "rank"): "rank facts",
    ("factbase.claim", "rank"): "rank claims",
    ("factbase.claim", "import"): "import entities, documents and claims",
    ("factbase.contradiction", "resolve"): "resolve contradictions",
    ("factbase.job", "cancel"): "cancel their jobs",
    ("factbase.job", "view_all"): "see everyone's jobs",
    ("factbase.job", "maintain"): "rebuild indexes and regroup facts",
}


def label_of(target) -> str:
    """`app_label.model_name` of a model class, an instance, or a label already."""
    if isinstance(target, str):
        return target
    return target._meta.label_lower


def _decided_by(obj, action: str):
    """(target, action) whose rule decides `action` on the instance `obj`."""
    from factbase.models import Entity, Identifier

    if type(obj) is Entity:
        return obj.typed, action  # a row of the all-kinds list is a person, country, organisation or event
    if isinstance(obj, Identifier) and obj.entity_id is not None and obj.entity.kind == "country":
        # A country's identifiers (its ISO 3166 code among them) are its reference record.
        return "factbase.country", "view" if action == "view" else "change"
    return obj, action


def decided_by(target, action: str) -> tuple[str, str]:
    """(label, action) of the rule that decides `action` on `target` (a model, an instance or a label)."""
    if not isinstance(target, (str, type)):
        target, action = _decided_by(target, action)
    label = label_of(target)
    if action not in RULES.get(label, {}):
        raise ImproperlyConfigured(
            f"factbase/permissions.py declares no rule for {action!r} on {label}: add it to RULES."
        )
    return label, action


def rule(target, action: str) -> tuple[str, frozenset[Role]]:
    """(label, roles) deciding `action` on `target` (a model, an instance or a label)."""
    label, action = decided_by(target, action)
    return label, RULES[label][action]


def codename(label: str, action: str) -> str:
    return f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"


def allows(user, action: str, target, *, public: bool = True) -> bool:
    """Whether `user` may do `action` on `target` (a model class, an instance, or a label).
    With `public=False` (the admin), what anyone may do still takes the group's permission."""
    label, action = decided_by(target, action)
    if public and Role.ANONYMOUS in RULES[label][action]:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(codename(label, action))


def refusal(action: str, target) -> str:
    """The message of a 403: who may do it."""
    label, action = decided_by(target, action)
    who = ROLE_NAMES.get(RULES[label][action], "staff administrators")
    phrase = ACTION_PHRASES.get((label, action))
    if phrase is None:
        from django.apps import apps

        phrase = f"{action.replace('_', ' ')} {apps.get_model(label)._meta.verbose_name_plural}"
    return f"Only {who} may {phrase}."


def group_codenames(role: Role) -> dict[str, list[str]]:
    """app_label -> the codenames the role's group holds, from RULES."""
    found: dict[str, list[str]] = {}
    for label, actions in RULES.items():
        app_label, model = label.split(".")
        for action, roles in actions.items():
            if role in roles:
                found.setdefault(app_label, []).append(f"{action}_{model}")
    return found


def workflow_permissions(label: str) -> list[tuple[str, str]]:
    """(codename, name) of the workflow actions declared for `label`, for the model's Meta
    (each needs its phrase in ACTION_PHRASES)."""
    model = label.split(".")[1]
    return [
        (f"{action}_{model}", f"Can {ACTION_PHRASES[label, action]}")
        for action in RULES[label]
        if action not in MODEL_ACTIONS
    ]
