//! Hard rules: which mentor–mentee pairs are infeasible, and why.
//!
//! One table ([`TABLE`]) drives every rule's name, order, kind, default,
//! parsing and explanation; [`Rules::breaks`] holds each rule's test, and the
//! facts the tests read about people (teams, languages, seniority, relations)
//! live here too, not in the scorer. A new rule is a variant, a table entry and
//! a test arm (plus a fact, when it reads one this file does not hold yet).

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::{Cohort, Error, Location, Role};

/// A reason a pair is infeasible, in the order the rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// Mentor and mentee are the same participant (always on).
    SelfPair,
    /// Either lists the other in `avoids` (always on).
    Avoids,
    /// The pair is in `history` and `forbid_repeat` is on.
    ForbidRepeat,
    /// Either is the other's manager and `forbid_manager` is on.
    ForbidManager,
    /// Both give the same team and `forbid_same_team` is on.
    ForbidSameTeam,
    /// Both give languages, they share none, and `require_shared_language` is on.
    RequireSharedLanguage,
    /// Both give meeting times and have fewer hours in common than `min_common_hours`.
    MinCommonHours,
    /// The skills component is 0 and `require_topic_overlap` is on.
    RequireTopicOverlap,
    /// Both give seniority, the mentor's is lower, and `require_senior_mentor` is on.
    RequireSeniorMentor,
    /// The score is below `min_score`.
    MinScore,
}

/// How a rule is set in a cohort file.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Always on; not a key of `rules`.
    Always,
    /// A switch, `true` or `false`.
    Switch { default: bool },
    /// A number: a pair is infeasible when its value is below it.
    Limit {
        default: f64,
        expected: &'static str,
        allowed: fn(f64) -> bool,
    },
}

/// One rule: its variant, name in files and results, and kind.
struct Entry {
    rule: Rule,
    name: &'static str,
    kind: Kind,
}

/// Every rule, in the order they are checked.
const TABLE: [Entry; 10] = [
    Entry {
        rule: Rule::SelfPair,
        name: "self",
        kind: Kind::Always,
    },
    Entry {
        rule: Rule::Avoids,
        name: "avoids",
        kind: Kind::Always,
    },
    Entry {
        rule: Rule::ForbidRepeat,
        name: "forbid_repeat",
        kind: Kind::Switch { default: true },
    },
    Entry {
        rule: Rule::ForbidManager,
        name: "forbid_manager",
        kind: Kind::Switch { default: true },
    },
    Entry {
        rule: Rule::ForbidSameTeam,
        name: "forbid_same_team",
        kind: Kind::Switch { default: false },
    },
    Entry {
        rule: Rule::RequireSharedLanguage,
        name: "require_shared_language",
        kind: Kind::Switch { default: true },
    },
    Entry {
        rule: Rule::MinCommonHours,
        name: "min_common_hours",
        kind: Kind::Limit {
            default: 1.0,
            expected: "a finite number >= 0",
            allowed: |x| x.is_finite() && x >= 0.0,
        },
    },
    Entry {
        rule: Rule::RequireTopicOverlap,
        name: "require_topic_overlap",
        kind: Kind::Switch { default: true },
    },
    Entry {
        rule: Rule::RequireSeniorMentor,
        name: "require_senior_mentor",
        kind: Kind::Switch { default: false },
    },
    Entry {
        rule: Rule::MinScore,
        name: "min_score",
        kind: Kind::Limit {
            default: 0.0,
            expected: "a number in [0, 1]",
            allowed: |x| (0.0..=1.0).contains(&x),
        },
    },
];

/// Number of rules.
const COUNT: usize = TABLE.len();

/// The rules in check order, as a plain array: the scoring loop tests them
/// all for every pair, and a loop over this array unrolls.
const ORDER: [Rule; COUNT] = {
    let mut order = [Rule::SelfPair; COUNT];
    let mut k = 0;
    while k < COUNT {
        order[k] = TABLE[k].rule;
        k += 1;
    }
    order
};

impl Rule {
    /// Every rule, in the order they are checked.
    pub fn all() -> impl ExactSizeIterator<Item = Rule> + Clone {
        TABLE.iter().map(|entry| entry.rule)
    }

    /// The rule's name in files and results, for example `"forbid_manager"`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The rule with this name, if any.
    pub fn from_name(name: &str) -> Option<Rule> {
        TABLE
            .iter()
            .find(|entry| entry.name == name)
            .map(|entry| entry.rule)
    }

    /// Whether the rule is always on (`self` and `avoids`).
    pub fn is_always_on(self) -> bool {
        matches!(self.entry().kind, Kind::Always)
    }

    /// Whether the rule is set by a number (`min_score`, `min_common_hours`)
    /// rather than a switch.
    pub fn is_limit(self) -> bool {
        matches!(self.entry().kind, Kind::Limit { .. })
    }

    /// Position in check order; the code `index + 1` marks the rule in a
    /// score matrix, 0 a feasible pair.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The rule of a score-matrix code (`None` for 0, a feasible pair).
    pub(crate) fn from_code(code: u8) -> Option<Rule> {
        (code as usize)
            .checked_sub(1)
            .map(|index| TABLE[index].rule)
    }

    /// The score-matrix code of the rule.
    pub(crate) fn code(self) -> u8 {
        u8::try_from(self.index() + 1).expect("fewer than 255 rules")
    }

    fn entry(self) -> &'static Entry {
        &TABLE[self.index()]
    }

    /// Keys of `rules` in a cohort file, in rule order.
    pub(crate) fn keys() -> impl Iterator<Item = &'static str> {
        TABLE
            .iter()
            .filter(|entry| !matches!(entry.kind, Kind::Always))
            .map(|entry| entry.name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Rule::from_name(&name)
            .ok_or_else(|| de::Error::custom(format_args!("unknown rule {name:?}")))
    }
}

/// The settings of the rules: which switches are on, and the limits.
///
/// `self` and `avoids` are always on. Defaults (the specification's):
/// `forbid_repeat`, `forbid_manager`, `require_shared_language` and
/// `require_topic_overlap` on; `forbid_same_team` and `require_senior_mentor`
/// off; `min_score` 0; `min_common_hours` 1 (0 turns it off).
///
/// Setters never fail; [`Rules::check`] (which the matcher and the cohort
/// builder call) reports a bad setting.
///
/// ```
/// use mentor_match::{Rule, Rules};
///
/// let rules = Rules::default()
///     .with(Rule::ForbidSameTeam, true)
///     .with_limit(Rule::MinScore, 0.25);
/// assert!(rules.is_on(Rule::ForbidSameTeam));
/// assert_eq!(rules.limit(Rule::MinScore), Some(0.25));
/// assert!(rules.check().is_ok());
/// assert!(Rules::default().with_limit(Rule::MinScore, 1.5).check().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// Per rule in check order: whether a switch is on (`true` for the others).
    on: [bool; COUNT],
    /// Per rule in check order: the limit of a limit rule (0 for the others).
    limit: [f64; COUNT],
}

impl Default for Rules {
    fn default() -> Self {
        let mut rules = Rules {
            on: [true; COUNT],
            limit: [0.0; COUNT],
        };
        for (k, entry) in TABLE.iter().enumerate() {
            match entry.kind {
                Kind::Always => {}
                Kind::Switch { default } => rules.on[k] = default,
                Kind::Limit { default, .. } => rules.limit[k] = default,
            }
        }
        rules
    }
}

impl Rules {
    /// Whether `rule` is on. A limit rule is always on (a limit of 0 rules
    /// nothing out).
    pub fn is_on(&self, rule: Rule) -> bool {
        self.on[rule.index()]
    }

    /// The limit of a limit rule (`min_score`), `None` for a switch.
    pub fn limit(&self, rule: Rule) -> Option<f64> {
        rule.is_limit().then(|| self.limit[rule.index()])
    }

    /// The minimum score of a feasible pair (default 0).
    pub fn min_score(&self) -> f64 {
        self.limit[Rule::MinScore.index()]
    }

    /// Turns a switch on or off (see the defaults above).
    ///
    /// Turning off a rule that is always on, or switching a limit rule, is
    /// reported by [`Rules::check`].
    #[must_use]
    pub fn with(mut self, rule: Rule, on: bool) -> Self {
        self.on[rule.index()] = on;
        self
    }

    /// Sets the limit of a limit rule (`min_score`, default 0).
    ///
    /// A value out of range, or a limit for a switch, is reported by [`Rules::check`].
    #[must_use]
    pub fn with_limit(mut self, rule: Rule, limit: f64) -> Self {
        self.limit[rule.index()] = limit;
        self
    }

    /// Checks every setting.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] (at [`Location::Rules`], naming the rule) for a
    /// limit out of its range, an always-on rule turned off, a limit rule
    /// switched, or a limit given to a switch.
    pub fn check(&self) -> Result<(), Error> {
        for (k, entry) in TABLE.iter().enumerate() {
            let bad = |expected: &'static str, found: String| Error::OutOfRange {
                at: Location::Rules,
                field: entry.name.into(),
                expected,
                found,
            };
            match entry.kind {
                Kind::Always if !self.on[k] => {
                    return Err(bad("always on", "false".into()));
                }
                Kind::Always | Kind::Switch { .. } if self.limit[k] != 0.0 => {
                    return Err(bad("true or false", self.limit[k].to_string()));
                }
                Kind::Limit {
                    expected, allowed, ..
                } if !self.on[k] || !allowed(self.limit[k]) => {
                    return Err(bad(expected, self.limit[k].to_string()));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether `min_common_hours` rules out a pair with `common_hours` in
    /// common (`None` when either gives no meeting times).
    #[inline]
    pub(crate) fn too_few_hours(&self, common_hours: Option<f64>) -> bool {
        common_hours.is_some_and(|hours| hours < self.limit[Rule::MinCommonHours.index()])
    }

    /// Whether `rule` rules out a pair with these facts.
    // Called for every rule of every pair in the scoring loop; inlining it
    // there is worth about a fifth of the scoring time (scoring bench).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn breaks(&self, rule: Rule, facts: &PairFacts) -> bool {
        use relation::{AVOIDS, HISTORY, MANAGER, SELF};
        let on = self.on[rule.index()];
        match rule {
            Rule::SelfPair => facts.relation & SELF != 0,
            Rule::Avoids => facts.relation & AVOIDS != 0,
            Rule::ForbidRepeat => on && facts.relation & HISTORY != 0,
            Rule::ForbidManager => on && facts.relation & MANAGER != 0,
            Rule::ForbidSameTeam => on && facts.same_team,
            Rule::RequireSharedLanguage => on && facts.no_shared_language,
            Rule::MinCommonHours => self.too_few_hours(facts.common_hours),
            Rule::RequireTopicOverlap => on && facts.skills == 0.0,
            Rule::RequireSeniorMentor => on && facts.junior_mentor,
            Rule::MinScore => facts.score < self.limit[rule.index()],
        }
    }

    /// The first rule, in rule order, that rules out a pair with these facts.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn first_broken(&self, facts: &PairFacts) -> Option<Rule> {
        ORDER.into_iter().find(|&rule| self.breaks(rule, facts))
    }

    /// Every rule a pair with these facts breaks, in rule order.
    pub(crate) fn all_broken(&self, facts: &PairFacts) -> Vec<Rule> {
        Rule::all()
            .filter(|&rule| self.breaks(rule, facts))
            .collect()
    }

    /// Sets one key of a cohort file's `rules` from its JSON value.
    pub(crate) fn set_key(&mut self, name: &str, value: &serde_json::Value) -> Result<(), Error> {
        let rule = Rule::from_name(name)
            .filter(|rule| !rule.is_always_on())
            .ok_or_else(|| Error::UnknownField {
                at: Location::Rules,
                field: name.into(),
                suggestion: None,
            })?;
        let wrong = |expected| Error::WrongType {
            at: Location::Rules,
            field: name.into(),
            expected,
            found: crate::error::cut(&value.to_string()),
        };
        if let Kind::Limit { expected, .. } = rule.entry().kind {
            let limit = value.as_f64().ok_or_else(|| wrong(expected))?;
            *self = self.with_limit(rule, limit);
        } else {
            let on = value.as_bool().ok_or_else(|| wrong("true or false"))?;
            *self = self.with(rule, on);
        }
        Ok(())
    }
}

impl Serialize for Rules {
    /// The `rules` object of a cohort file, every key in rule order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for entry in &TABLE {
            match entry.kind {
                Kind::Always => {}
                Kind::Switch { .. } => map.serialize_entry(entry.name, &self.is_on(entry.rule))?,
                Kind::Limit { .. } => {
                    map.serialize_entry(entry.name, &self.limit[entry.rule.index()])?;
                }
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Rules {
    /// Reads the `rules` object of a cohort file through [`Rules::check`];
    /// keys not given keep their defaults.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Rules;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the rules object of a cohort file")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rules, A::Error> {
                let mut rules = Rules::default();
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    if !value.is_null() {
                        rules.set_key(&key, &value).map_err(de::Error::custom)?;
                    }
                }
                rules.check().map_err(de::Error::custom)?;
                Ok(rules)
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

/// Relations between one mentor-side and one mentee-side participant that
/// rules and the preference component look at, as bit flags.
pub(crate) mod relation {
    /// The same participant on both sides.
    pub const SELF: u8 = 1;
    /// Either avoids the other.
    pub const AVOIDS: u8 = 2;
    /// The pair is in history.
    pub const HISTORY: u8 = 4;
    /// Either is the other's manager.
    pub const MANAGER: u8 = 8;
    /// The mentee lists the mentor in `prefers`.
    pub const MENTEE_PREFERS: u8 = 16;
    /// The mentor lists the mentee in `prefers`.
    pub const MENTOR_PREFERS: u8 = 32;
}

/// What the rules look at for one pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairFacts {
    pub relation: u8,
    pub same_team: bool,
    /// Both give languages and share none.
    pub no_shared_language: bool,
    /// Both give seniority and the mentor's is lower.
    pub junior_mentor: bool,
    /// Hours both can meet in, when both give meeting times.
    pub common_hours: Option<f64>,
    pub skills: f64,
    pub score: f64,
}

/// What the rules read of one participant, on one side.
struct PersonFacts {
    team: Option<usize>,
    seniority: Option<i64>,
    has_languages: bool,
    /// Bit `id % 64` for each language id: disjoint masks mean disjoint sets.
    language_mask: u64,
    /// Language ids, ascending, for the exact check beyond 64 languages.
    languages: Vec<usize>,
}

/// Everything the rules read about the people of a cohort, computed once:
/// per-person facts for both sides and the relations between pairs.
pub(crate) struct Facts {
    mentors: Vec<PersonFacts>,
    mentees: Vec<PersonFacts>,
    /// Per mentor: (mentee, relation flags), ascending by mentee.
    by_mentor: Vec<Vec<(usize, u8)>>,
    /// Per mentee: (mentor, relation flags), ascending by mentor.
    by_mentee: Vec<Vec<(usize, u8)>>,
    /// Whether every language has a bit of its own in `language_mask`
    /// (at most 64 distinct languages in the cohort).
    exact_language_masks: bool,
}

impl Facts {
    pub(crate) fn new(cohort: &Cohort) -> Facts {
        let participants = cohort.participants();
        let mut languages: HashMap<&str, usize> = HashMap::new();
        for participant in participants {
            for code in participant.languages() {
                let next = languages.len();
                languages.entry(code).or_insert(next);
            }
        }
        let mut teams: HashMap<&str, usize> = HashMap::new();
        let mut facts_of = |side: &[crate::ParticipantIndex]| -> Vec<PersonFacts> {
            side.iter()
                .map(|&p| {
                    let person = &participants[p.get()];
                    let mut ids: Vec<usize> = person
                        .languages()
                        .iter()
                        .map(|code| languages[code.as_str()])
                        .collect();
                    ids.sort_unstable();
                    PersonFacts {
                        team: person.team().map(|team| {
                            let next = teams.len();
                            *teams.entry(team).or_insert(next)
                        }),
                        seniority: person.seniority(),
                        has_languages: !ids.is_empty(),
                        language_mask: ids.iter().fold(0, |mask, id| mask | 1u64 << (id % 64)),
                        languages: ids,
                    }
                })
                .collect()
        };
        let mentors = facts_of(cohort.mentors());
        let mentees = facts_of(cohort.mentees());
        let by_mentor = relations(cohort);
        Facts {
            mentors,
            mentees,
            by_mentee: transpose(&by_mentor, cohort.mentees().len()),
            by_mentor,
            exact_language_masks: languages.len() <= 64,
        }
    }

    /// Relations of one mentor, ascending by mentee.
    pub(crate) fn of_mentor(&self, mentor: usize) -> &[(usize, u8)] {
        &self.by_mentor[mentor]
    }

    /// Relations of one mentee, ascending by mentor.
    pub(crate) fn of_mentee(&self, mentee: usize) -> &[(usize, u8)] {
        &self.by_mentee[mentee]
    }

    /// The relation flags of one pair.
    pub(crate) fn relation(&self, mentor: usize, mentee: usize) -> u8 {
        let related = &self.by_mentor[mentor];
        related
            .binary_search_by_key(&mentee, |&(m, _)| m)
            .map_or(0, |at| related[at].1)
    }

    /// The facts of one pair, given its relation flags, skills and score.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn pair(
        &self,
        mentor: usize,
        mentee: usize,
        relation: u8,
        breakdown: &crate::Breakdown,
        common_hours: Option<f64>,
        score: f64,
    ) -> PairFacts {
        let (a, b) = (&self.mentors[mentor], &self.mentees[mentee]);
        PairFacts {
            relation,
            same_team: matches!((a.team, b.team), (Some(x), Some(y)) if x == y),
            no_shared_language: a.has_languages
                && b.has_languages
                && (a.language_mask & b.language_mask == 0
                    || (!self.exact_language_masks && disjoint(&a.languages, &b.languages))),
            junior_mentor: matches!((a.seniority, b.seniority), (Some(x), Some(y)) if x < y),
            common_hours,
            skills: breakdown.skills(),
            score,
        }
    }
}

/// Whether two ascending lists have no element in common.
fn disjoint(a: &[usize], b: &[usize]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return false,
        }
    }
    true
}

/// The same relations listed per mentee, ascending by mentor.
fn transpose(by_mentor: &[Vec<(usize, u8)>], mentees: usize) -> Vec<Vec<(usize, u8)>> {
    let mut by_mentee = vec![Vec::new(); mentees];
    for (mentor, row) in by_mentor.iter().enumerate() {
        for &(mentee, flags) in row {
            by_mentee[mentee].push((mentor, flags));
        }
    }
    by_mentee
}

/// Per mentor, the mentees with a relation that rules or preferences look at.
fn relations(cohort: &Cohort) -> Vec<Vec<(usize, u8)>> {
    let participants = cohort.participants();
    let mentor_at = cohort.mentor_places();
    let mentee_at = cohort.mentee_places();
    let mut rows: Vec<Vec<(usize, u8)>> = vec![Vec::new(); cohort.mentors().len()];
    let mut mark = |mentor: crate::ParticipantIndex, mentee: crate::ParticipantIndex, flag: u8| {
        if let (Some(i), Some(j)) = (mentor_at[mentor.get()], mentee_at[mentee.get()]) {
            rows[i.get()].push((j.get(), flag));
        }
    };
    for (p, person) in participants.iter().enumerate() {
        let p = crate::ParticipantIndex::new(p);
        if person.role() == Role::Both {
            mark(p, p, relation::SELF);
        }
        for &other in person.avoids() {
            mark(p, other, relation::AVOIDS);
            mark(other, p, relation::AVOIDS);
        }
        for &other in person.prefers() {
            mark(p, other, relation::MENTOR_PREFERS);
            mark(other, p, relation::MENTEE_PREFERS);
        }
        if let Some(manager) = person.manager() {
            mark(p, manager, relation::MANAGER);
            mark(manager, p, relation::MANAGER);
        }
    }
    for pair in cohort.history() {
        mark(pair.mentor(), pair.mentee(), relation::HISTORY);
    }
    for row in &mut rows {
        row.sort_unstable_by_key(|&(j, _)| j);
        row.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 |= later.1;
                true
            } else {
                false
            }
        });
    }
    rows
}
