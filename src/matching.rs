//! The result of a matching: pairs with their explanation, unmatched mentees
//! with their reason.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::{Breakdown, Objective, Rule};

/// One mentor–mentee pair of a matching, with why it was formed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    mentor: String,
    mentee: String,
    score: f64,
    pinned: bool,
    breakdown: Breakdown,
    topics: Vec<String>,
    broken_rules: Vec<Rule>,
}

impl Pair {
    pub(crate) fn new(
        mentor: String,
        mentee: String,
        score: f64,
        pinned: bool,
        breakdown: Breakdown,
        topics: Vec<String>,
        broken_rules: Vec<Rule>,
    ) -> Pair {
        Pair {
            mentor,
            mentee,
            score,
            pinned,
            breakdown,
            topics,
            broken_rules,
        }
    }

    /// The mentor's id.
    pub fn mentor(&self) -> &str {
        &self.mentor
    }

    /// The mentee's id.
    pub fn mentee(&self) -> &str {
        &self.mentee
    }

    /// The pair's score, in [0, 1].
    pub fn score(&self) -> f64 {
        self.score
    }

    /// Whether an organiser pinned the pair.
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }

    /// The four unweighted score components.
    pub fn breakdown(&self) -> &Breakdown {
        &self.breakdown
    }

    /// Topic ids where the mentor can teach the mentee something, the largest
    /// contribution first.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// Rules a pinned pair breaks, in rule order (empty for other pairs).
    pub fn broken_rules(&self) -> &[Rule] {
        &self.broken_rules
    }
}

/// Why a mentee has no mentor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// No mentor is feasible for the mentee.
    NoFeasibleMentor,
    /// Every feasible mentor was needed elsewhere or has capacity 0.
    Capacity,
}

impl Reason {
    /// The reason's name in results, for example `"no_feasible_mentor"`.
    pub fn name(self) -> &'static str {
        match self {
            Reason::NoFeasibleMentor => "no_feasible_mentor",
            Reason::Capacity => "capacity",
        }
    }
}

/// A mentee left without a mentor, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmatched {
    mentee: String,
    reason: Reason,
    ruled_out: Vec<(Rule, usize)>,
}

impl Unmatched {
    pub(crate) fn new(mentee: String, reason: Reason, ruled_out: Vec<(Rule, usize)>) -> Unmatched {
        Unmatched {
            mentee,
            reason,
            ruled_out,
        }
    }

    /// The mentee's id.
    pub fn mentee(&self) -> &str {
        &self.mentee
    }

    /// Why the mentee has no mentor.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// With [`Reason::NoFeasibleMentor`]: for every mentor other than the
    /// mentee themself, one count under the first rule that ruled the pair
    /// out; rules in rule order, only those with a count. Empty otherwise.
    pub fn ruled_out(&self) -> &[(Rule, usize)] {
        &self.ruled_out
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl Serialize for Unmatched {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Counts<'a>(&'a [(Rule, usize)]);
        impl Serialize for Counts<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (rule, count) in self.0 {
                    map.serialize_entry(rule.name(), count)?;
                }
                map.end()
            }
        }
        let with_counts = self.reason == Reason::NoFeasibleMentor;
        let mut map = serializer.serialize_map(Some(2 + usize::from(with_counts)))?;
        map.serialize_entry("mentee", &self.mentee)?;
        map.serialize_entry("reason", &self.reason)?;
        if with_counts {
            map.serialize_entry("ruled_out", &Counts(&self.ruled_out))?;
        }
        map.end()
    }
}

/// An optimal matching of a cohort under one objective, with explanations.
///
/// Pairs and unmatched mentees are in the mentees' file order. Serialises to
/// the result JSON of the specification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matching {
    objective: Objective,
    matched: usize,
    total_score: f64,
    min_score: Option<f64>,
    pairs: Vec<Pair>,
    unmatched: Vec<Unmatched>,
}

impl Matching {
    pub(crate) fn new(
        objective: Objective,
        pairs: Vec<Pair>,
        unmatched: Vec<Unmatched>,
    ) -> Matching {
        // From +0.0: `Sum` for f64 starts at -0.0, which an empty matching
        // would print as a total of "-0.0".
        let total_score = pairs.iter().map(Pair::score).fold(0.0, |sum, s| sum + s);
        let min_score = pairs.iter().map(Pair::score).reduce(f64::min);
        Matching {
            objective,
            matched: pairs.len(),
            total_score,
            min_score,
            pairs,
            unmatched,
        }
    }

    /// The objective this matching is optimal for.
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// The pairs, in the mentees' file order.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Number of matched mentees (pinned pairs included).
    pub fn matched(&self) -> usize {
        self.matched
    }

    /// Sum of the pairs' scores.
    pub fn total_score(&self) -> f64 {
        self.total_score
    }

    /// The smallest pair score, `None` without pairs.
    pub fn min_score(&self) -> Option<f64> {
        self.min_score
    }

    /// Mentees without a mentor, in file order, with the reason.
    pub fn unmatched(&self) -> &[Unmatched] {
        &self.unmatched
    }

    /// The pair of a mentee, by mentee id.
    pub fn pair_of(&self, mentee: &str) -> Option<&Pair> {
        self.pairs.iter().find(|pair| pair.mentee == mentee)
    }

    /// The mentor of a mentee, by mentee id.
    pub fn mentor_of(&self, mentee: &str) -> Option<&str> {
        self.pair_of(mentee).map(Pair::mentor)
    }

    /// The mentees of a mentor, by mentor id, in file order.
    pub fn mentees_of<'a>(&'a self, mentor: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |pair| pair.mentor == mentor)
            .map(Pair::mentee)
    }

    /// Whether every mentee has a mentor.
    pub fn is_complete(&self) -> bool {
        self.unmatched.is_empty()
    }
}
