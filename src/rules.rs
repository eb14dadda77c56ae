//! Hard rules: which mentor–mentee pairs are infeasible, and why.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::{Error, Location};

/// A reason a pair is infeasible, in the order the rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// The skills component is 0 and `require_topic_overlap` is on.
    RequireTopicOverlap,
    /// Both give seniority, the mentor's is lower, and `require_senior_mentor` is on.
    RequireSeniorMentor,
    /// The score is below `min_score`.
    MinScore,
}

impl Rule {
    /// All rules, in the order they are checked.
    pub const ALL: [Rule; 9] = [
        Rule::SelfPair,
        Rule::Avoids,
        Rule::ForbidRepeat,
        Rule::ForbidManager,
        Rule::ForbidSameTeam,
        Rule::RequireSharedLanguage,
        Rule::RequireTopicOverlap,
        Rule::RequireSeniorMentor,
        Rule::MinScore,
    ];

    /// The rule's name in files and results, for example `"forbid_manager"`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::SelfPair => "self",
            Rule::Avoids => "avoids",
            Rule::ForbidRepeat => "forbid_repeat",
            Rule::ForbidManager => "forbid_manager",
            Rule::ForbidSameTeam => "forbid_same_team",
            Rule::RequireSharedLanguage => "require_shared_language",
            Rule::RequireTopicOverlap => "require_topic_overlap",
            Rule::RequireSeniorMentor => "require_senior_mentor",
            Rule::MinScore => "min_score",
        }
    }

    /// Position in [`Rule::ALL`]; the code `index + 1` marks the rule in a
    /// score matrix, 0 a feasible pair.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn from_code(code: u8) -> Option<Rule> {
        (code as usize).checked_sub(1).map(|i| Rule::ALL[i])
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

/// The switchable rules and the minimum score.
///
/// `self` and `avoids` are always on. Defaults (the specification's):
/// `forbid_repeat`, `forbid_manager`, `require_shared_language` and
/// `require_topic_overlap` on; `forbid_same_team` and `require_senior_mentor`
/// off; `min_score` 0.
///
/// ```
/// use mentor_match::Rules;
///
/// let rules = Rules::default().with_forbid_same_team(true).with_min_score(0.25)?;
/// assert!(rules.forbid_same_team());
/// assert!(Rules::default().with_min_score(1.5).is_err());
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(clippy::struct_excessive_bools)] // the specification's switches
pub struct Rules {
    forbid_repeat: bool,
    forbid_manager: bool,
    forbid_same_team: bool,
    require_shared_language: bool,
    require_topic_overlap: bool,
    require_senior_mentor: bool,
    min_score: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            forbid_repeat: true,
            forbid_manager: true,
            forbid_same_team: false,
            require_shared_language: true,
            require_topic_overlap: true,
            require_senior_mentor: false,
            min_score: 0.0,
        }
    }
}

impl Rules {
    /// Names of the keys of `rules` in a cohort file.
    pub(crate) const FIELDS: [&'static str; 7] = [
        "forbid_repeat",
        "forbid_manager",
        "forbid_same_team",
        "require_shared_language",
        "require_topic_overlap",
        "require_senior_mentor",
        "min_score",
    ];

    /// Whether a pair from `history` is infeasible (default on).
    pub fn forbid_repeat(&self) -> bool {
        self.forbid_repeat
    }

    /// Whether a pair where either is the other's manager is infeasible (default on).
    pub fn forbid_manager(&self) -> bool {
        self.forbid_manager
    }

    /// Whether a pair from the same team is infeasible (default off).
    pub fn forbid_same_team(&self) -> bool {
        self.forbid_same_team
    }

    /// Whether a pair without a shared language is infeasible when both give
    /// languages (default on).
    pub fn require_shared_language(&self) -> bool {
        self.require_shared_language
    }

    /// Whether a pair whose skills component is 0 is infeasible (default on).
    pub fn require_topic_overlap(&self) -> bool {
        self.require_topic_overlap
    }

    /// Whether a mentor less senior than the mentee is infeasible when both
    /// give seniority (default off).
    pub fn require_senior_mentor(&self) -> bool {
        self.require_senior_mentor
    }

    /// Pairs scoring below this are infeasible (default 0).
    pub fn min_score(&self) -> f64 {
        self.min_score
    }

    /// Sets `forbid_repeat`.
    #[must_use]
    pub fn with_forbid_repeat(mut self, on: bool) -> Self {
        self.forbid_repeat = on;
        self
    }

    /// Sets `forbid_manager`.
    #[must_use]
    pub fn with_forbid_manager(mut self, on: bool) -> Self {
        self.forbid_manager = on;
        self
    }

    /// Sets `forbid_same_team`.
    #[must_use]
    pub fn with_forbid_same_team(mut self, on: bool) -> Self {
        self.forbid_same_team = on;
        self
    }

    /// Sets `require_shared_language`.
    #[must_use]
    pub fn with_require_shared_language(mut self, on: bool) -> Self {
        self.require_shared_language = on;
        self
    }

    /// Sets `require_topic_overlap`.
    #[must_use]
    pub fn with_require_topic_overlap(mut self, on: bool) -> Self {
        self.require_topic_overlap = on;
        self
    }

    /// Sets `require_senior_mentor`.
    #[must_use]
    pub fn with_require_senior_mentor(mut self, on: bool) -> Self {
        self.require_senior_mentor = on;
        self
    }

    /// Sets `min_score`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] unless `min_score` is a finite number in [0, 1].
    pub fn with_min_score(mut self, min_score: f64) -> Result<Self, Error> {
        if !(0.0..=1.0).contains(&min_score) {
            return Err(Error::OutOfRange {
                at: Location::Rules,
                field: "min_score".into(),
                expected: "a number in [0, 1]",
                found: min_score.to_string(),
            });
        }
        self.min_score = min_score;
        Ok(self)
    }

    /// Sets a boolean rule by its file name; `false` for an unknown name.
    pub(crate) fn set(&mut self, name: &str, on: bool) -> bool {
        let slot = match name {
            "forbid_repeat" => &mut self.forbid_repeat,
            "forbid_manager" => &mut self.forbid_manager,
            "forbid_same_team" => &mut self.forbid_same_team,
            "require_shared_language" => &mut self.require_shared_language,
            "require_topic_overlap" => &mut self.require_topic_overlap,
            "require_senior_mentor" => &mut self.require_senior_mentor,
            _ => return false,
        };
        *slot = on;
        true
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

/// What the rules look at for a pair besides the relation flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairFacts {
    pub relation: u8,
    pub same_team: bool,
    /// Both give languages and share none.
    pub no_shared_language: bool,
    /// Both give seniority and the mentor's is lower.
    pub junior_mentor: bool,
    pub skills: f64,
    pub score: f64,
}

impl Rules {
    /// Whether `rule` rules out a pair with these facts.
    #[inline(always)]
    pub(crate) fn breaks(&self, rule: Rule, facts: &PairFacts) -> bool {
        use relation::{AVOIDS, HISTORY, MANAGER, SELF};
        match rule {
            Rule::SelfPair => facts.relation & SELF != 0,
            Rule::Avoids => facts.relation & AVOIDS != 0,
            Rule::ForbidRepeat => self.forbid_repeat && facts.relation & HISTORY != 0,
            Rule::ForbidManager => self.forbid_manager && facts.relation & MANAGER != 0,
            Rule::ForbidSameTeam => self.forbid_same_team && facts.same_team,
            Rule::RequireSharedLanguage => self.require_shared_language && facts.no_shared_language,
            Rule::RequireTopicOverlap => self.require_topic_overlap && facts.skills == 0.0,
            Rule::RequireSeniorMentor => self.require_senior_mentor && facts.junior_mentor,
            Rule::MinScore => facts.score < self.min_score,
        }
    }

    /// The first rule, in rule order, that rules out a pair with these facts.
    // Called once per pair in the scoring loop; inlining it there is worth
    // about a fifth of the scoring time (measured with the scoring bench).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn first_broken(&self, facts: &PairFacts) -> Option<Rule> {
        Rule::ALL.into_iter().find(|&rule| self.breaks(rule, facts))
    }

    /// Every rule a pair with these facts breaks, in rule order.
    pub(crate) fn all_broken(&self, facts: &PairFacts) -> Vec<Rule> {
        Rule::ALL
            .into_iter()
            .filter(|&rule| self.breaks(rule, facts))
            .collect()
    }
}
