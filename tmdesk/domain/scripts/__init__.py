"""Qualification scripts: the TOML format, answers, and the verdict they give.

Pure domain code (stdlib tomllib and our domain; no peewee, no textual). The file format is
documented in data/scripts/README.md.
"""

from tmdesk.domain.scripts.answers import (
    Parsed,
    add_months,
    answer_from_json,
    answer_to_json,
    answers_from_json,
    answers_to_json,
    check_value,
    format_answer,
    option_key,
    parse_date,
    parse_number,
    parse_yes_no,
    pick_option,
    validate_answer,
)
from tmdesk.domain.scripts.loader import (
    ScriptError,
    ScriptProblem,
    check_script,
    check_script_text,
    load_script,
    parse_script,
    parse_script_file,
)
from tmdesk.domain.scripts.model import (
    ACTUALITY_ROLES,
    BUILTIN_PLACEHOLDERS,
    QUESTION_TYPES,
    ROLE_LABELS,
    ROLES,
    ActualityRules,
    Answers,
    AnswerValue,
    Condition,
    DecisionMakerRules,
    Knockout,
    Option,
    Person,
    Question,
    Routing,
    ScoreRule,
    Script,
    Section,
    Verdict,
    is_answered,
    people_from,
)
from tmdesk.domain.scripts.verdict import (
    MISSING,
    effective_answers,
    missing_required,
    people_problems,
    placeholder_values,
    placeholders_in,
    render_say,
    verdict,
    visible_questions,
)

__all__ = [
    "ACTUALITY_ROLES", "BUILTIN_PLACEHOLDERS", "MISSING", "QUESTION_TYPES", "ROLES",
    "ROLE_LABELS", "ActualityRules", "AnswerValue", "Answers", "Condition",
    "DecisionMakerRules", "Knockout", "Option", "Parsed", "Person", "Question", "Routing",
    "ScoreRule", "Script", "ScriptError", "ScriptProblem", "Section", "Verdict", "add_months",
    "answer_from_json", "answer_to_json", "answers_from_json", "answers_to_json",
    "check_script", "check_script_text", "check_value", "effective_answers", "format_answer",
    "is_answered", "load_script", "missing_required", "option_key", "parse_date",
    "parse_number", "parse_script", "parse_script_file", "parse_yes_no", "people_from",
    "people_problems", "pick_option", "placeholder_values", "placeholders_in", "render_say",
    "validate_answer", "verdict", "visible_questions",
]
