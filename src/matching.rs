//! The result of a matching: pairs with their explanation, unmatched mentees
//! with their reason.

use std::collections::{BTreeMap, HashMap};

use serde::de::{self, Deserializer, IgnoredAny};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::{Breakdown, HistoryEntry, Method, Objective, Quality, Rule};

/// One mentor–mentee pair of a matching, with why it was formed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

    /// The unweighted score components.
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
    /// Scale path only: the mentee has feasible mentors, but not all of them
    /// were among its best `k` candidates, and none of its candidates could
    /// be given to it in the optimum on the candidate graph. A larger `k`
    /// (or the dense path) might match it.
    NotInTopK,
}

impl Reason {
    /// The reason's name in results, for example `"no_feasible_mentor"`.
    pub fn name(self) -> &'static str {
        match self {
            Reason::NoFeasibleMentor => "no_feasible_mentor",
            Reason::Capacity => "capacity",
            Reason::NotInTopK => "not_in_top_k",
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

impl Reason {
    /// The reason of a name used in results.
    pub fn from_name(name: &str) -> Option<Reason> {
        [
            Reason::NoFeasibleMentor,
            Reason::Capacity,
            Reason::NotInTopK,
        ]
        .into_iter()
        .find(|reason| reason.name() == name)
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Reason::from_name(&name)
            .ok_or_else(|| de::Error::custom(format_args!("unknown reason {name:?}")))
    }
}

impl<'de> Deserialize<'de> for Unmatched {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Stored {
            mentee: String,
            reason: Reason,
            #[serde(default)]
            ruled_out: BTreeMap<String, usize>,
        }
        let stored = Stored::deserialize(deserializer)?;
        let mut ruled_out = stored
            .ruled_out
            .into_iter()
            .map(|(name, count)| {
                Rule::from_name(&name)
                    .map(|rule| (rule, count))
                    .ok_or_else(|| de::Error::custom(format_args!("unknown rule {name:?}")))
            })
            .collect::<Result<Vec<_>, D::Error>>()?;
        ruled_out.sort_unstable();
        Ok(Unmatched::new(stored.mentee, stored.reason, ruled_out))
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

/// A matched mentee with fewer mentors than they wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Short {
    mentee: String,
    wanted: usize,
    got: usize,
}

impl Short {
    pub(crate) fn new(mentee: String, wanted: usize, got: usize) -> Short {
        Short {
            mentee,
            wanted,
            got,
        }
    }

    /// The mentee's id.
    pub fn mentee(&self) -> &str {
        &self.mentee
    }

    /// Mentors the mentee wanted (`mentors_wanted`).
    pub fn wanted(&self) -> usize {
        self.wanted
    }

    /// Mentors the mentee got (at least 1).
    pub fn got(&self) -> usize {
        self.got
    }
}

/// How far a matching of the scale path is proven optimal
/// ([`Matching::exactness`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Exactness {
    /// Optimal for the whole cohort: the dense path's optimum value (matched
    /// mentees, pairs, total to 1e-9 per pair, smallest score). Either every
    /// mentee's candidate list held all of its feasible mentors, or the
    /// solver's dual potentials, checked in exact integer arithmetic, prove
    /// that no pair left out of a list could improve the matching: every such
    /// pair scores at most its list's lowest score, and that score's reduced
    /// cost against the largest potential of a mentor not in the list is not
    /// negative. Under fairness the threshold is proven the dense path's
    /// too. See `BENCHMARKS.md`, "What is proven".
    Proven,
    /// Optimal on the candidate graph (each mentee's best `k` mentors), and
    /// not proven beyond it: a mentor left out of a list might have given a
    /// better matching (or the proof was too weak to rule it out).
    CandidateGraph,
}

/// An optimal matching of a cohort under one objective (or a baseline's
/// matching, see [`Method`]), with explanations and its [`Quality`].
///
/// Pairs and unmatched mentees are in the mentees' file order. Serialises to
/// the result JSON of the specification, and reads back from it; lookups by
/// id take constant time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matching {
    objective: Objective,
    /// Written for the baselines only: an exact result keeps the format of
    /// the specification.
    #[serde(skip_serializing_if = "Method::is_exact")]
    method: Method,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    matched: usize,
    total_score: f64,
    min_score: Option<f64>,
    pairs: Vec<Pair>,
    unmatched: Vec<Unmatched>,
    short: Vec<Short>,
    quality: Quality,
    /// On the scale path only: whether the optimum is proven for the whole
    /// cohort (not written for the dense path, which always is).
    #[serde(skip_serializing_if = "Option::is_none")]
    exact: Option<Exactness>,
    /// Per mentee id, the positions of its pairs in `pairs`.
    #[serde(skip)]
    by_mentee: HashMap<String, Vec<usize>>,
    /// Per mentor id, the positions of its pairs in `pairs`.
    #[serde(skip)]
    by_mentor: HashMap<String, Vec<usize>>,
}

impl Matching {
    /// Bytes a matching of `cohort` may take, an upper bound from counts:
    /// each pair (at most every mentee's wanted mentors, capped by the
    /// mentors' capacities) with its ids, breakdown and topics, each
    /// unmatched mentee with its counts by rule, and the lookups by id.
    pub(crate) fn estimate_bytes(cohort: &crate::Cohort) -> u64 {
        const PER_PAIR: u64 = 256;
        const PER_MENTEE: u64 = 512;
        let longest = |side: &[crate::ParticipantIndex]| {
            side.iter()
                .map(|&p| cohort.at(p).id().len())
                .max()
                .unwrap_or(0) as u64
        };
        let (mentors, mentees) = (cohort.mentors(), cohort.mentees());
        let wanted: u64 = mentees
            .iter()
            .map(|&p| cohort.at(p).mentors_wanted().min(mentors.len() as u64))
            .sum();
        let places: u64 = mentors
            .iter()
            .map(|&p| cohort.at(p).capacity().min(mentees.len() as u64))
            .sum();
        let pairs = wanted.min(places) + cohort.pinned().len() as u64;
        let topic = cohort
            .topics()
            .iter()
            .map(|t| t.id().len())
            .max()
            .unwrap_or(0) as u64;
        let sought = mentees
            .iter()
            .map(|&p| cohort.at(p).seeks().len())
            .max()
            .unwrap_or(0) as u64;
        let (mentor_id, mentee_id) = (longest(mentors), longest(mentees));
        pairs * (PER_PAIR + 3 * (mentor_id + mentee_id) + sought * (32 + topic))
            + mentees.len() as u64 * (PER_MENTEE + 2 * mentee_id)
    }

    pub(crate) fn new(
        objective: Objective,
        method: Method,
        pairs: Vec<Pair>,
        unmatched: Vec<Unmatched>,
        short: Vec<Short>,
        quality: Quality,
    ) -> Matching {
        // From +0.0: `Sum` for f64 starts at -0.0, which an empty matching
        // would print as a total of "-0.0".
        let total_score = pairs.iter().map(Pair::score).fold(0.0, |sum, s| sum + s);
        let min_score = pairs.iter().map(Pair::score).reduce(f64::min);
        // Each side's lookup by id, the two at once.
        let by = |id: fn(&Pair) -> &String| {
            let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
            for (k, pair) in pairs.iter().enumerate() {
                by_id.entry(id(pair).clone()).or_default().push(k);
            }
            by_id
        };
        let (by_mentee, by_mentor) =
            rayon::join(|| by(|pair| &pair.mentee), || by(|pair| &pair.mentor));
        Matching {
            objective,
            method,
            seed: method.seed(),
            matched: by_mentee.len(),
            total_score,
            min_score,
            pairs,
            unmatched,
            short,
            quality,
            exact: None,
            by_mentee,
            by_mentor,
        }
    }

    /// The same matching, marked as a result of the scale path.
    pub(crate) fn with_exactness(mut self, exact: Exactness) -> Matching {
        self.exact = Some(exact);
        self
    }

    /// On the scale path ([`Mode::Sparse`](crate::Mode::Sparse)), whether the
    /// matching is proven optimal for the whole cohort or only on the
    /// candidate graph; `None` on the dense path, whose result is always
    /// optimal. Written as `"exact": "proven"` or `"exact": "candidate_graph"`
    /// in the result JSON, and not written on the dense path.
    pub fn exactness(&self) -> Option<Exactness> {
        self.exact
    }

    /// The objective this matching is optimal for (a baseline's matching
    /// carries the matcher's objective, which it does not optimise).
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// How the pairs were formed: [`Method::Exact`] unless a baseline.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The quality metrics of the pairs.
    pub fn quality(&self) -> &Quality {
        &self.quality
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

    /// The (first) pair of a mentee, by mentee id, in constant time.
    pub fn pair_of(&self, mentee: &str) -> Option<&Pair> {
        self.pairs_of(mentee).next()
    }

    /// Every pair of a mentee, by mentee id, in the mentors' file order.
    pub fn pairs_of<'a>(&'a self, mentee: &str) -> impl Iterator<Item = &'a Pair> + 'a {
        self.by_mentee
            .get(mentee)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&k| &self.pairs[k])
    }

    /// The (first) mentor of a mentee, by mentee id, in constant time.
    pub fn mentor_of(&self, mentee: &str) -> Option<&str> {
        self.pair_of(mentee).map(Pair::mentor)
    }

    /// The mentees of a mentor, by mentor id, in file order.
    pub fn mentees_of<'a>(&'a self, mentor: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.by_mentor
            .get(mentor)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&k| self.pairs[k].mentee())
    }

    /// Matched mentees with fewer mentors than they wanted, in file order.
    pub fn short(&self) -> &[Short] {
        &self.short
    }

    /// The mentors of a mentee, by mentee id, in the mentors' file order.
    pub fn mentors_of<'a>(&'a self, mentee: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs_of(mentee).map(Pair::mentor)
    }

    /// Whether every mentee has a mentor.
    pub fn is_complete(&self) -> bool {
        self.unmatched.is_empty()
    }

    /// The pairs as history entries of round `round`, ready to append to the
    /// next round's `history` so that `forbid_repeat` keeps them apart.
    ///
    /// ```
    /// # let cohort: mentor_match::Cohort = r#"{
    /// #   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
    /// #   "participants": [
    /// #     {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
    /// #     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}}]}"#.parse()?;
    /// let matching = cohort.matcher().solve()?;
    /// let history = matching.history(Some("2026-spring"));
    /// assert_eq!(history[0].mentor, "ana");
    /// assert_eq!(history[0].round.as_deref(), Some("2026-spring"));
    /// # Ok::<(), mentor_match::Error>(())
    /// ```
    pub fn history(&self, round: Option<&str>) -> Vec<HistoryEntry> {
        self.pairs
            .iter()
            .map(|pair| HistoryEntry {
                round: round.map(str::to_owned),
                ..HistoryEntry::new(pair.mentor(), pair.mentee())
            })
            .collect()
    }
}

impl<'de> Deserialize<'de> for Matching {
    /// Reads a result as [`Matching`] serialises it; `matched`, `total_score`
    /// and `min_score` are computed again from the pairs, `quality` is read
    /// as written (its blocking pairs need the cohort).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The totals are read to accept them, then computed again.
        #[allow(dead_code)]
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Stored {
            objective: Objective,
            #[serde(default)]
            method: Option<String>,
            #[serde(default)]
            seed: Option<u64>,
            pairs: Vec<Pair>,
            unmatched: Vec<Unmatched>,
            #[serde(default)]
            short: Vec<Short>,
            quality: Quality,
            #[serde(default)]
            matched: Option<IgnoredAny>,
            #[serde(default)]
            total_score: Option<IgnoredAny>,
            #[serde(default)]
            min_score: Option<IgnoredAny>,
            #[serde(default)]
            exact: Option<Exactness>,
        }
        let stored = Stored::deserialize(deserializer)?;
        let name = stored.method.as_deref().unwrap_or("exact");
        let method = Method::from_parts(name, stored.seed)
            .filter(|method| stored.seed.is_none() || method.seed().is_some())
            .ok_or_else(|| match stored.seed {
                Some(_) if name != "random" => de::Error::custom(format_args!(
                    "a seed belongs to method random, not {name:?}"
                )),
                _ => de::Error::custom(format_args!("unknown method {name:?}")),
            })?;
        let mut matching = Matching::new(
            stored.objective,
            method,
            stored.pairs,
            stored.unmatched,
            stored.short,
            stored.quality,
        );
        matching.exact = stored.exact;
        Ok(matching)
    }
}
