"""Reading script files: every problem reported with its file and line, or a Script.

`check_script(path)` lists all problems (a TOML syntax error stops at that one, as nothing
after it can be read); `load_script(path)` returns the Script or raises ScriptError with all
of them. The format is documented in data/scripts/README.md.

Over 400 lines: one _Checker walks the whole format (a method per part) carrying the
positions, the problems found so far and the questions that conditions refer to.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tmdesk.domain.routing import DISTRICT_OF_SUBJECT, names_district
from tmdesk.domain.scripts.model import (
    ACTUALITY_ROLES,
    ACTUALITY_TYPES,
    BUILTIN_PLACEHOLDERS,
    CHOICE_TYPES,
    NUMBER_OPERATORS,
    OPERATORS,
    PERSON_FIELDS,
    QUESTION_TYPES,
    ROLES,
    ActualityRules,
    Condition,
    DecisionMakerRules,
    Knockout,
    Option,
    Question,
    Routing,
    ScoreRule,
    Script,
    Section,
)
from tmdesk.domain.scripts.positions import Path as KeyPath
from tmdesk.domain.scripts.positions import Positions
from tmdesk.domain.scripts.verdict import placeholders_in
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _


@dataclass(frozen=True, order=True)
class ScriptProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ScriptError(TmdeskError):
    """A script file that cannot be used; `problems` has every problem found."""

    def __init__(self, problems: list[ScriptProblem]):
        self.problems = tuple(problems)
        first = str(problems[0]) if problems else _("invalid script")
        more = len(problems) - 1
        super().__init__(
            first
            + (
                _(" (and {n} more problems: run `tmdesk script check`)").format(n=more)
                if more
                else ""
            )
        )


def check_script(path: str | Path) -> list[ScriptProblem]:
    """Every problem of the script file at `path`, sorted by line; [] when it is valid."""
    return parse_script_file(path)[1]


def load_script(path: str | Path) -> Script:
    """The script at `path`; ScriptError with every problem when it is not valid."""
    script, problems = parse_script_file(path)
    if problems or script is None:
        raise ScriptError(problems)
    return script


def parse_script_file(path: str | Path) -> tuple[Script | None, list[ScriptProblem]]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [
            ScriptProblem(
                str(path),
                0,
                _("cannot read the file: {error}").format(error=error.strerror or error),
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [ScriptProblem(str(path), line, _("not UTF-8 text (save the file as UTF-8)"))]
    script, problems = parse_script(text, str(path))
    if script is not None:
        script = replace(script, path=path)
    return script, problems


def check_script_text(text: str, file: str = "<script>") -> list[ScriptProblem]:
    return parse_script(text, file)[1]


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def parse_script(text: str, file: str = "<script>") -> tuple[Script | None, list[ScriptProblem]]:
    """A script from TOML text: (script, []) or (None, every problem)."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if match := _TOML_AT.search(message):
            line = int(match[1])
            message = message[: match.start()]
            if message == "Illegal character '\\n'":  # the usual cause
                message = _("a string is not closed before the end of the line")
            message += _(" (column {column})").format(column=match[2])
        elif match := _TOML_END.search(message):
            line = text.count("\n") + 1
            message = message[: match.start()] + _(" (at the end of the file)")
        else:
            line = 1
        return None, [
            ScriptProblem(file, line, _("TOML syntax: {message}").format(message=message))
        ]
    checker = _Checker(data, Positions(text), file)
    script = checker.script()
    problems = sorted(checker.problems, key=lambda p: (p.line, checker.order[p]))
    return (None if problems else script), problems


# --- the checker -----------------------------------------------------------------------------

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_VERSION = re.compile(r"\d+(?:\.\d+){0,2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")

_TOP_KEYS = (
    "key",
    "title",
    "version",
    "language",
    "description",
    "placeholders",
    "actuality",
    "decision_makers",
    "sections",
    "routing",
)
_ROUTING_KEYS = ("region", "specialisation")
# the answer types routing can compare with the specialists' names
_ROUTING_TYPES = ("text", "choice", "multi_choice")
_SECTION_KEYS = ("id", "title", "say", "questions")
_QUESTION_KEYS = (
    "id",
    "text",
    "type",
    "required",
    "hint",
    "options",
    "min",
    "max",
    "show_if",
    "knockout",
    "actuality",
    "score",
    "suggest",
)
# what a question's `suggest` may offer from the lead card
SUGGESTIONS = ("district",)
_ACTUALITY_KEYS = tuple(ActualityRules.__dataclass_fields__)
_DM_KEYS = ("min", "roles", "required_roles", "required_fields", "contact_required")
_YES_NO = {"yes": True, "no": False, "да": True, "нет": False}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class _Ref:
    """What a condition needs to know about the question it tests."""

    id: str
    type: str | None  # None when the question's own type is broken
    options: tuple[str, ...]
    line: int
    index: int  # place in the script, counting every question


class _Checker:
    def __init__(self, data: dict[str, Any], positions: Positions, file: str):
        self.data = data
        self.pos = positions
        self.file = file
        self.problems: list[ScriptProblem] = []
        self.order: dict[ScriptProblem, int] = {}
        self.placeholders: set[str] = set(BUILTIN_PLACEHOLDERS)
        self.refs: dict[str, _Ref] = {}

    # -- reporting ------------------------------------------------------------------------

    def problem(self, path: KeyPath, message: str, *, needle: str | None = None) -> None:
        line = self.pos.line_of_text(path, needle) if needle else self.pos.line(path)
        problem = ScriptProblem(self.file, line, message)
        if problem not in self.order:
            self.order[problem] = len(self.order)
            self.problems.append(problem)

    def unknown_keys(
        self, table: Mapping[str, Any], known: tuple[str, ...], path: KeyPath, where: str
    ) -> None:
        for name in table:
            if name not in known:
                close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
                hint = (
                    _(" (did you mean {name}?)").format(name=close[0])
                    if close
                    else _(" (known: {names})").format(names=", ".join(known))
                )
                self.problem(
                    (*path, name),
                    _("{where}: unknown key {key}").format(where=where, key=name) + hint,
                )

    def text(
        self,
        table: Mapping[str, Any],
        name: str,
        path: KeyPath,
        where: str,
        *,
        required: bool = True,
        default: str = "",
    ) -> str:
        if name not in table:
            if required:
                self.problem(path, _("{where}: {key} is missing").format(where=where, key=name))
            return default
        value = table[name]
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(
                (*path, name),
                _("{where}: {key} must be non-empty text").format(where=where, key=name),
            )
            return default
        return value

    def flag(
        self, table: Mapping[str, Any], name: str, path: KeyPath, where: str, default: bool = False
    ) -> bool:
        value = table.get(name, default)
        if not isinstance(value, bool):
            self.problem(
                (*path, name),
                _("{where}: {key} must be true or false").format(where=where, key=name),
            )
            return default
        return value

    def table(self, value: Any, path: KeyPath, where: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(path, _("{where} must be a table").format(where=where))
            return None
        return value

    def placeholders_of(self, text: str, path: KeyPath, where: str) -> None:
        for name in placeholders_in(text):
            if name not in self.placeholders:
                self.problem(
                    path,
                    _("{where}: unknown placeholder {{{name}}} (known: {names})").format(
                        where=where, name=name, names=", ".join(sorted(self.placeholders))
                    ),
                    needle="{" + name + "}",
                )

    # -- the document ---------------------------------------------------------------------

    def script(self) -> Script | None:
        data = self.data
        top = _("script")
        self.unknown_keys(data, _TOP_KEYS, (), top)
        key = self.text(data, "key", (), top)
        if key and not _KEY.fullmatch(key):
            self.problem(
                ("key",),
                _("key {key} must be lowercase letters, digits, - and _").format(key=_shown(key)),
            )
        title = self.text(data, "title", (), top)
        description = self.text(data, "description", (), top, required=False)
        version = self.version()
        language = self.text(data, "language", (), top)
        if language and not _LANGUAGE.fullmatch(language):
            self.problem(
                ("language",),
                _('language {value} is not a language code like "ru" or "en"').format(
                    value=_shown(language)
                ),
            )
        constants = self.constants()
        actuality = self.actuality()
        people = self.decision_makers()
        self.person_roles = people.roles  # what an option's `person` may add
        sections = self.sections()
        routing = self.routing()
        return Script(
            key=key,
            title=title,
            version=version,
            language=language,
            sections=sections,
            actuality=actuality,
            decision_makers=people,
            placeholders=constants,
            description=description,
            routing=routing,
        )

    def version(self) -> str:
        if "version" not in self.data:
            self.problem((), _("script: version is missing"))
            return ""
        value = self.data["version"]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return str(value)
        if isinstance(value, str) and _VERSION.fullmatch(value.strip()):
            return value.strip()
        self.problem(
            ("version",),
            _(
                "version {value} is not a version: write a whole number "
                '(version = 3) or text like "1.2"'
            ).format(value=_shown(value)),
        )
        return ""

    def constants(self) -> tuple[tuple[str, str], ...]:
        if "placeholders" not in self.data:
            return ()
        table = self.table(self.data["placeholders"], ("placeholders",), "[placeholders]")
        found = []
        for name, value in (table or {}).items():
            path = ("placeholders", name)
            if name in BUILTIN_PLACEHOLDERS:
                self.problem(
                    path,
                    _(
                        "[placeholders]: {{{name}}} is filled by the desk from "
                        "the lead and the agent; choose another name"
                    ).format(name=name),
                )
            elif not _ID.fullmatch(name):
                self.problem(
                    path,
                    _("[placeholders]: {name} must be letters, digits and _").format(name=name),
                )
            elif not isinstance(value, str):
                self.problem(path, _("[placeholders]: {name} must be text").format(name=name))
            else:
                found.append((name, value))
                self.placeholders.add(name)
        return tuple(found)

    def routing(self) -> Routing:
        """[routing]: question ids whose answers pick the specialist (after the sections,
        whose questions it names)."""
        if "routing" not in self.data:
            return Routing()
        where, path = "[routing]", ("routing",)
        table = self.table(self.data["routing"], path, where)
        if table is None:
            return Routing()
        self.unknown_keys(table, _ROUTING_KEYS, path, where)
        values = {}
        for name in _ROUTING_KEYS:
            if name not in table:
                continue
            qid, qpath = table[name], (*path, name)
            if not isinstance(qid, str) or not qid:
                self.problem(
                    qpath, _("{where}: {key} must be a question id").format(where=where, key=name)
                )
                continue
            ref = self.refs.get(qid)
            if ref is None:
                close = difflib.get_close_matches(qid, list(self.refs), n=1, cutoff=0.6)
                self.problem(
                    qpath,
                    _("{where}: {key} refers to unknown question {id}").format(
                        where=where, key=name, id=qid
                    )
                    + (_(" (did you mean {name}?)").format(name=close[0]) if close else ""),
                )
            elif ref.type is not None and ref.type not in _ROUTING_TYPES:
                self.problem(
                    qpath,
                    _(
                        "{where}: {key}: question {id} is a {type} question; "
                        "routing needs one of {names}"
                    ).format(
                        where=where,
                        key=name,
                        id=qid,
                        type=ref.type,
                        names=", ".join(_ROUTING_TYPES),
                    ),
                )
            else:
                values[name] = qid
        return Routing(**values)

    def actuality(self) -> ActualityRules:
        if "actuality" not in self.data:
            return ActualityRules()
        table = self.table(self.data["actuality"], ("actuality",), "[actuality]")
        if table is None:
            return ActualityRules()
        self.unknown_keys(table, _ACTUALITY_KEYS, ("actuality",), "[actuality]")
        values = {}
        for name in _ACTUALITY_KEYS:
            if name in table:
                value = table[name]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    self.problem(
                        ("actuality", name),
                        _("[actuality]: {key} must be a whole number ≥ 0").format(key=name),
                    )
                else:
                    values[name] = value
        return ActualityRules(**values)

    def decision_makers(self) -> DecisionMakerRules:
        if "decision_makers" not in self.data:
            return DecisionMakerRules()
        where, path = "[decision_makers]", ("decision_makers",)
        table = self.table(self.data["decision_makers"], path, where)
        if table is None:
            return DecisionMakerRules()
        self.unknown_keys(table, _DM_KEYS, path, where)
        values: dict[str, Any] = {}
        minimum = table.get("min", 0)
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
            self.problem(
                (*path, "min"), _("{where}: min must be a whole number ≥ 0").format(where=where)
            )
        else:
            values["min_count"] = minimum
        roles = self.names(table, "roles", ROLES, path, where)
        if roles is not None:
            if not roles:
                self.problem(
                    (*path, "roles"), _("{where}: roles must not be empty").format(where=where)
                )
            else:
                values["roles"] = roles
        allowed = values.get("roles", ROLES)
        required = self.names(table, "required_roles", allowed, path, where)
        if required is not None:
            values["required_roles"] = required
        fields = self.names(table, "required_fields", PERSON_FIELDS, path, where)
        if fields is not None:
            values["required_fields"] = fields
        values["contact_required"] = self.flag(table, "contact_required", path, where)
        return DecisionMakerRules(**values)

    def names(
        self, table: Mapping[str, Any], name: str, known: tuple[str, ...], path: KeyPath, where: str
    ) -> tuple[str, ...] | None:
        if name not in table:
            return None
        value = table[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                (*path, name),
                _("{where}: {key} must be a list of names").format(where=where, key=name),
            )
            return None
        good = []
        for index, item in enumerate(value):
            if item in known:
                good.append(item)
            else:
                self.problem(
                    (*path, name, index),
                    _("{where}: {key}: unknown {value} (known: {names})").format(
                        where=where, key=name, value=_shown(item), names=", ".join(known)
                    ),
                )
        return tuple(good)

    # -- sections and questions -----------------------------------------------------------

    def sections(self) -> tuple[Section, ...]:
        raw = self.data.get("sections")
        if raw is None:
            self.problem(
                (), _("script: no [[sections]]: a script needs at least one section with questions")
            )
            return ()
        if not isinstance(raw, list) or not all(isinstance(s, Mapping) for s in raw):
            self.problem(
                ("sections",),
                _("sections must be an array of tables: write each one as [[sections]]"),
            )
            return ()
        refs = self.refs = self.references(raw)
        index = 0
        section_ids: dict[str, int] = {}
        question_lines: dict[str, int] = {}
        sections = []
        for i, table in enumerate(raw):
            path: KeyPath = ("sections", i)
            where = _("section {n}").format(n=i + 1)
            self.unknown_keys(table, _SECTION_KEYS, path, where)
            section_id = self.text(table, "id", path, where)
            if section_id:
                where = _("section {id}").format(id=section_id)
                if not _ID.fullmatch(section_id):
                    self.problem(
                        (*path, "id"),
                        _(
                            "{where}: id must be letters, digits and _ starting with a letter"
                        ).format(where=where),
                    )
                if section_id in section_ids:
                    self.problem(
                        (*path, "id"),
                        _("duplicate section id {id} (first at line {line})").format(
                            id=section_id, line=section_ids[section_id]
                        ),
                    )
                else:
                    section_ids[section_id] = self.pos.line((*path, "id"))
            title = self.text(table, "title", path, where)
            say = self.text(table, "say", path, where, required=False)
            self.placeholders_of(title, (*path, "title"), where)
            self.placeholders_of(say, (*path, "say"), where)
            questions = []
            raw_questions = table.get("questions", [])
            if not isinstance(raw_questions, list) or not all(
                isinstance(q, Mapping) for q in raw_questions
            ):
                self.problem(
                    (*path, "questions"),
                    _(
                        "{where}: questions must be an array of tables: write each one as "
                        "[[sections.questions]]"
                    ).format(where=where),
                )
                raw_questions = []
            for j, question in enumerate(raw_questions):
                built = self.question(
                    question, (*path, "questions", j), index, section_id, refs, question_lines
                )
                index += 1
                if built is not None:
                    questions.append(built)
            sections.append(Section(section_id, title, say, tuple(questions)))
        if index == 0:
            self.problem(("sections",), _("script: no questions: add [[sections.questions]]"))
        return tuple(sections)

    def references(self, raw: list[Any]) -> dict[str, _Ref]:
        """Every question by id (the first of duplicates), for the conditions."""
        refs: dict[str, _Ref] = {}
        index = -1
        for i, section in enumerate(raw):
            questions = section.get("questions", [])
            if not isinstance(questions, list):
                continue
            for j, question in enumerate(questions):
                index += 1
                if not isinstance(question, Mapping):
                    continue
                qid = question.get("id")
                if not isinstance(qid, str) or qid in refs:
                    continue
                kind = question.get("type")
                kind = kind if kind in QUESTION_TYPES else None
                options = (
                    tuple(
                        v
                        for v in (_option_value(o) for o in question.get("options", []) or [])
                        if v is not None
                    )
                    if isinstance(question.get("options", []), list)
                    else ()
                )
                refs[qid] = _Ref(
                    qid, kind, options, self.pos.line(("sections", i, "questions", j)), index
                )
        return refs

    def question(
        self,
        table: Mapping[str, Any],
        path: KeyPath,
        index: int,
        section: str,
        refs: dict[str, _Ref],
        seen: dict[str, int],
    ) -> Question | None:
        where = _("question {n}").format(n=int(path[-1]) + 1)
        qid = self.text(table, "id", path, where)
        broken = not qid
        if qid:
            where = _("question {id}").format(id=qid)
            if not _ID.fullmatch(qid):
                self.problem(
                    (*path, "id"),
                    _("{where}: id must be letters, digits and _ starting with a letter").format(
                        where=where
                    ),
                )
            if qid in seen:
                self.problem(
                    (*path, "id"),
                    _("duplicate question id {id} (first at line {line})").format(
                        id=qid, line=seen[qid]
                    ),
                )
                broken = True
            else:
                seen[qid] = self.pos.line(path)
        self.unknown_keys(table, _QUESTION_KEYS, path, where)
        text = self.text(table, "text", path, where)
        self.placeholders_of(text, (*path, "text"), where)
        hint = self.text(table, "hint", path, where, required=False)
        self.placeholders_of(hint, (*path, "hint"), where)
        kind = self.text(table, "type", path, where)
        if kind and kind not in QUESTION_TYPES:
            close = difflib.get_close_matches(kind, QUESTION_TYPES, n=1, cutoff=0.6)
            self.problem(
                (*path, "type"),
                _("{where}: unknown type {type} ({hint}known: {names})").format(
                    where=where,
                    type=_shown(kind),
                    hint=_("did you mean {name}? ").format(name=close[0]) if close else "",
                    names=", ".join(QUESTION_TYPES),
                ),
            )
            kind = ""
        required = self.flag(table, "required", path, where)
        options = self.options(table, path, where, kind)
        low, high = self.bounds(table, path, where, kind)
        show_if = self.show_if(table, path, where, qid, index, refs)
        me = _Ref(qid, kind or None, tuple(o.value for o in options), self.pos.line(path), index)
        knockouts = self.knockouts(table, path, where, me)
        actuality = self.actuality_role(table, path, where, kind)
        points, rules = self.score(table, path, where, me)
        suggest = self.suggestion(table, path, where, kind, options)
        if broken or not kind:
            return None
        return Question(
            id=qid,
            text=text,
            type=kind,
            section=section,
            required=required,
            hint=hint,
            options=options,
            min=low,
            max=high,
            show_if=show_if,
            knockouts=knockouts,
            actuality=actuality,
            score_points=points,
            score_rules=rules,
            suggest=suggest,
        )

    def options(
        self, table: Mapping[str, Any], path: KeyPath, where: str, kind: str
    ) -> tuple[Option, ...]:
        if "options" not in table:
            if kind in CHOICE_TYPES:
                self.problem(
                    path,
                    _("{where}: a {type} question needs options").format(where=where, type=kind),
                )
            return ()
        raw = table["options"]
        opath = (*path, "options")
        if kind and kind not in CHOICE_TYPES:
            self.problem(
                opath,
                _(
                    "{where}: options are only for choice and multi_choice questions, not {type}"
                ).format(where=where, type=kind),
            )
            return ()
        if not isinstance(raw, list):
            self.problem(opath, _("{where}: options must be a list").format(where=where))
            return ()
        found: list[Option] = []
        values: set[str] = set()
        value: Any
        for index, item in enumerate(raw):
            ipath = (*opath, index)
            person: str | None = None
            if isinstance(item, str):
                value, label = item, item
            elif isinstance(item, Mapping):
                self.unknown_keys(item, ("value", "label", "person"), ipath, where)
                value = item.get("value")
                label = item.get("label", value)
                person = self.option_person(item, ipath, where, kind)
                if not isinstance(label, str):
                    self.problem(
                        (*ipath, "label"),
                        _("{where}: an option label must be text").format(where=where),
                    )
                    label = str(value)
            else:
                self.problem(
                    ipath,
                    _('{where}: an option is text or {{ value = "…", label = "…" }}').format(
                        where=where
                    ),
                )
                continue
            if not isinstance(value, str) or not value.strip():
                self.problem(
                    ipath, _("{where}: an option value must be non-empty text").format(where=where)
                )
                continue
            if value in values:
                self.problem(
                    ipath,
                    _("{where}: duplicate option {value}").format(where=where, value=_shown(value)),
                )
                continue
            values.add(value)
            found.append(Option(value, label, person))
        if kind in CHOICE_TYPES and len(found) < 2 and len(raw) < 2:
            self.problem(
                opath,
                _("{where}: a {type} question needs at least 2 options").format(
                    where=where, type=kind
                ),
            )
        return tuple(found)

    def option_person(
        self, item: Mapping[str, Any], path: KeyPath, where: str, kind: str
    ) -> str | None:
        """`person = "decision_maker"`: picking the option adds a person with this role."""
        if "person" not in item:
            return None
        role = item["person"]
        if kind == "yes_no" or kind not in CHOICE_TYPES:
            return None  # options on a question that takes none: reported already
        allowed = getattr(self, "person_roles", ROLES)
        if not isinstance(role, str) or role not in allowed:
            self.problem(
                (*path, "person"),
                _(
                    "{where}: option person must be one of the decision makers' roles "
                    "({roles}), not {role}"
                ).format(where=where, roles=", ".join(allowed), role=_shown(role)),
            )
            return None
        return role

    def bounds(
        self, table: Mapping[str, Any], path: KeyPath, where: str, kind: str
    ) -> tuple[Any, Any]:
        found = {}
        for name in ("min", "max"):
            if name not in table:
                continue
            value = table[name]
            if kind and kind != "number":
                self.problem(
                    (*path, name),
                    _("{where}: {key} is only for number questions").format(where=where, key=name),
                )
            elif not _number(value):
                self.problem(
                    (*path, name),
                    _("{where}: {key} must be a number").format(where=where, key=name),
                )
            else:
                found[name] = value
        low, high = found.get("min"), found.get("max")
        if low is not None and high is not None and low > high:
            self.problem(
                (*path, "min"),
                _("{where}: min {min} is greater than max {max}").format(
                    where=where, min=low, max=high
                ),
            )
        return low, high

    def show_if(
        self,
        table: Mapping[str, Any],
        path: KeyPath,
        where: str,
        qid: str,
        index: int,
        refs: dict[str, _Ref],
    ) -> Condition | None:
        if "show_if" not in table:
            return None
        spath = (*path, "show_if")
        raw = self.table(table["show_if"], spath, _("{where}: show_if").format(where=where))
        if raw is None:
            return None
        target = raw.get("question")
        if not isinstance(target, str) or not target:
            self.problem(
                spath,
                _('{where}: show_if needs question = "…" (the id of an earlier question)').format(
                    where=where
                ),
            )
            return None
        qpath = (*spath, "question")
        ref = refs.get(target)
        if target == qid:
            self.problem(
                qpath, _("{where}: show_if refers to the question itself").format(where=where)
            )
            ref = None
        elif ref is None:
            close = difflib.get_close_matches(target, list(refs), n=1, cutoff=0.6)
            self.problem(
                qpath,
                _("{where}: show_if refers to unknown question {id}").format(where=where, id=target)
                + (_(" (did you mean {name}?)").format(name=close[0]) if close else ""),
            )
        elif ref.index > index:
            self.problem(
                qpath,
                _(
                    "{where}: show_if refers to question {id}, which comes later "
                    "(line {line}): a condition can only use earlier answers"
                ).format(where=where, id=target, line=ref.line),
            )
            ref = None
        condition = self.condition(raw, spath, where, ref, ("question",), "show_if")
        if condition is None or ref is None:
            return None
        return Condition(target, condition.operators)

    def knockouts(
        self, table: Mapping[str, Any], path: KeyPath, where: str, me: _Ref
    ) -> tuple[Knockout, ...]:
        if "knockout" not in table:
            return ()
        raw = table["knockout"]
        kpath = (*path, "knockout")
        items = (
            [(raw, kpath)]
            if isinstance(raw, Mapping)
            else (
                [(item, (*kpath, i)) for i, item in enumerate(raw)]
                if isinstance(raw, list)
                else None
            )
        )
        if items is None:
            self.problem(
                kpath,
                _('{where}: knockout must be a list of {{ equals = …, reason = "…" }}').format(
                    where=where
                ),
            )
            return ()
        found = []
        for item, ipath in items:
            if not isinstance(item, Mapping):
                self.problem(
                    ipath,
                    _('{where}: a knockout is {{ equals = …, reason = "…" }}').format(where=where),
                )
                continue
            reason = item.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                self.problem(
                    ipath,
                    _(
                        '{where}: a knockout needs reason = "…" (what makes the lead not a fit)'
                    ).format(where=where),
                )
                reason = None
            condition = self.condition(item, ipath, where, me, ("reason",), "knockout")
            if condition is not None and reason:
                found.append(Knockout(condition, reason.strip()))
        return tuple(found)

    def suggestion(
        self,
        table: Mapping[str, Any],
        path: KeyPath,
        where: str,
        kind: str,
        options: tuple[Option, ...],
    ) -> str | None:
        """`suggest = "district"` on a choice whose options name federal districts."""
        if "suggest" not in table:
            return None
        what = table["suggest"]
        spath = (*path, "suggest")
        if what not in SUGGESTIONS:
            self.problem(
                spath,
                _("{where}: unknown suggest {what} (known: {names})").format(
                    where=where, what=_shown(what), names=", ".join(SUGGESTIONS)
                ),
            )
            return None
        if kind and kind != "choice":
            self.problem(
                spath,
                _("{where}: suggest {what} needs a choice question, not {type}").format(
                    where=where, what=what, type=kind
                ),
            )
            return None
        districts = set(DISTRICT_OF_SUBJECT.values())
        if kind and not any(
            names_district((option.value, option.label), district)
            for option in options
            for district in districts
        ):
            self.problem(
                spath,
                _("{where}: suggest district, but no option names a federal district").format(
                    where=where
                ),
            )
            return None
        return str(what)

    def actuality_role(
        self, table: Mapping[str, Any], path: KeyPath, where: str, kind: str
    ) -> str | None:
        if "actuality" not in table:
            return None
        role = table["actuality"]
        apath = (*path, "actuality")
        if role not in ACTUALITY_ROLES:
            self.problem(
                apath,
                _("{where}: unknown actuality role {role} (known: {names})").format(
                    where=where, role=_shown(role), names=", ".join(ACTUALITY_ROLES)
                ),
            )
            return None
        need = ACTUALITY_TYPES[role]
        if kind and kind != need:
            self.problem(
                apath,
                _("{where}: actuality {role} needs a {need} question, not {type}").format(
                    where=where, role=role, need=need, type=kind
                ),
            )
            return None
        return str(role)

    def score(
        self, table: Mapping[str, Any], path: KeyPath, where: str, me: _Ref
    ) -> tuple[tuple[tuple[str, int], ...], tuple[ScoreRule, ...]]:
        if "score" not in table:
            return (), ()
        raw = table["score"]
        spath = (*path, "score")
        kind = me.type
        if kind in ("text", "date"):
            self.problem(
                spath,
                _("{where}: score is not supported for {type} questions").format(
                    where=where, type=kind
                ),
            )
            return (), ()
        if kind == "number":
            if not isinstance(raw, list):
                self.problem(
                    spath,
                    _(
                        "{where}: a number question scores with a list of rules "
                        "like [{{ gte = 100, points = 10 }}]"
                    ).format(where=where),
                )
                return (), ()
            rules = []
            for index, item in enumerate(raw):
                ipath = (*spath, index)
                if not isinstance(item, Mapping):
                    self.problem(
                        ipath,
                        _("{where}: a score rule is {{ gte = …, points = … }}").format(where=where),
                    )
                    continue
                points = item.get("points")
                if isinstance(points, bool) or not isinstance(points, int):
                    self.problem(
                        ipath,
                        _("{where}: a score rule needs points = a whole number").format(
                            where=where
                        ),
                    )
                    points = None
                condition = self.condition(item, ipath, where, me, ("points",), "score")
                if condition is not None and points is not None:
                    rules.append(ScoreRule(condition, points))
            return (), tuple(rules)
        if not isinstance(raw, Mapping):
            self.problem(
                spath,
                _("{where}: score must be a table of points, like {{ yes = 10, no = 0 }}").format(
                    where=where
                ),
            )
            return (), ()
        allowed = ("yes", "no") if kind == "yes_no" else me.options
        points = []
        for name, value in raw.items():
            if kind is not None and name not in allowed:
                self.problem(
                    (*spath, name),
                    _(
                        "{where}: score for {value}, which is not among the answers ({names})"
                    ).format(where=where, value=_shown(name), names=", ".join(allowed)),
                )
            elif isinstance(value, bool) or not isinstance(value, int):
                self.problem(
                    (*spath, name), _("{where}: points must be whole numbers").format(where=where)
                )
            else:
                points.append((name, value))
        return tuple(points), ()

    def condition(
        self,
        raw: Mapping[str, Any],
        path: KeyPath,
        where: str,
        ref: _Ref | None,
        extra: tuple[str, ...],
        what: str,
    ) -> Condition | None:
        """The operators of a show_if / knockout / score rule, checked against the type and
        options of the question they test (`ref`; None: only the syntax is checked)."""
        operators = []
        ok = True
        for name, arg in raw.items():
            if name in extra:
                continue
            opath = (*path, name)
            if name not in OPERATORS:
                close = difflib.get_close_matches(name, OPERATORS, n=1, cutoff=0.6)
                self.problem(
                    opath,
                    _("{where}: {what}: unknown operator {op} ({hint}known: {names})").format(
                        where=where,
                        what=what,
                        op=name,
                        hint=_("did you mean {name}? ").format(name=close[0]) if close else "",
                        names=", ".join(OPERATORS),
                    ),
                )
                ok = False
                continue
            value = self.operand(name, arg, opath, where, what, ref)
            if value is _BAD:
                ok = False
            else:
                operators.append((name, value))
        if not operators and ok:
            self.problem(
                path,
                _("{where}: {what} needs an operator ({names})").format(
                    where=where, what=what, names=", ".join(OPERATORS)
                ),
            )
            return None
        return Condition(None, tuple(operators)) if ok else None

    def operand(
        self, op: str, arg: Any, path: KeyPath, where: str, what: str, ref: _Ref | None
    ) -> Any:
        kind = ref.type if ref else None
        rid, options = (ref.id, ref.options) if ref else ("", ())
        if op == "answered":
            if not isinstance(arg, bool):
                self.problem(
                    path,
                    _("{where}: {what}: answered must be true or false").format(
                        where=where, what=what
                    ),
                )
                return _BAD
            return arg
        if op in NUMBER_OPERATORS:
            if kind and kind != "number":
                self.problem(
                    path,
                    _(
                        "{where}: {what}: {op} compares numbers, but {id} is a {type} question"
                    ).format(where=where, what=what, op=op, id=rid, type=kind),
                )
                return _BAD
            if not _number(arg):
                self.problem(
                    path,
                    _("{where}: {what}: {op} needs a number").format(where=where, what=what, op=op),
                )
                return _BAD
            return arg
        listed = op in ("in", "not_in")
        if listed and (not isinstance(arg, list) or not arg):
            self.problem(
                path,
                _("{where}: {what}: {op} needs a non-empty list").format(
                    where=where, what=what, op=op
                ),
            )
            return _BAD
        items = arg if listed else [arg]
        values = []
        for index, item in enumerate(items):
            ipath = (*path, index) if listed else path
            value = self.answer_value(item, ipath, where, what, ref)
            if value is _BAD:
                return _BAD
            values.append(value)
        return tuple(values) if listed else values[0]

    def answer_value(
        self, item: Any, path: KeyPath, where: str, what: str, ref: _Ref | None
    ) -> Any:
        kind = ref.type if ref else None
        rid, options = (ref.id, ref.options) if ref else ("", ())
        if isinstance(item, (list, dict)) or item is None:
            self.problem(
                path,
                _("{where}: {what}: {value} is not an answer").format(
                    where=where, what=what, value=_shown(item)
                ),
            )
            return _BAD
        if kind is None:
            return item
        if kind == "date":
            self.problem(
                path,
                _(
                    "{where}: {what}: date answers can only be tested with answered = true / false"
                ).format(where=where, what=what),
            )
            return _BAD
        if kind == "yes_no":
            value = item if isinstance(item, bool) else _YES_NO.get(str(item).casefold())
            if value is None:
                self.problem(
                    path,
                    _(
                        "{where}: {what}: {id} is a yes_no question: compare with "
                        '"yes" or "no", not {value}'
                    ).format(where=where, what=what, id=rid, value=_shown(item)),
                )
                return _BAD
            return value
        if kind == "number":
            if not _number(item):
                self.problem(
                    path,
                    _("{where}: {what}: {id} is a number question: {value} is not a number").format(
                        where=where, what=what, id=rid, value=_shown(item)
                    ),
                )
                return _BAD
            return item
        if not isinstance(item, str):
            self.problem(
                path,
                _("{where}: {what}: {value} must be text").format(
                    where=where, what=what, value=_shown(item)
                ),
            )
            return _BAD
        if kind in CHOICE_TYPES and item not in options:
            close = difflib.get_close_matches(item, options, n=1, cutoff=0.6)
            self.problem(
                path,
                _("{where}: {what}: {value} is not among the options of {id} ({names})").format(
                    where=where,
                    what=what,
                    value=_shown(item),
                    id=rid,
                    names=", ".join(options),
                )
                + (_(" (did you mean {name}?)").format(name=close[0]) if close else ""),
            )
            return _BAD
        return item


_BAD = object()


def _option_value(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping) and isinstance(item.get("value"), str):
        return str(item["value"])
    return None
