//! How good a matching is: the quality metrics of the specification, for any
//! matching (exact or a baseline), carried by every [`Matching`](crate::Matching).

use serde::{Deserialize, Serialize};

use crate::{Cohort, MenteeIndex, MentorIndex, Pair, Participant};

/// The quality of a matching, as the specification's quality metrics define it.
///
/// Every ratio is `None` (`null` in JSON) where its denominator is 0: no
/// mentees, no mentor capacity, no pairs, or no pair whose mentee prefers
/// anyone on the mentor side. Serialises to the result's `quality` object:
///
/// ```json
/// {"matched_share": 1.0, "places_used": 0.75, "mean_score": 0.62, "min_score": 0.41,
///  "score_quartiles": [0.5, 0.63, 0.74], "topic_coverage": 0.9, "goal_alignment": 0.7,
///  "preferred_share": null, "blocking_pairs": 3}
/// ```
///
/// ```
/// use mentor_match::{Cohort, Method};
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "capacity": 2},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}}]}"#.parse()?;
/// let quality = cohort.matcher().method(Method::Stable).solve()?.quality().clone();
/// assert_eq!(quality.matched_share(), Some(1.0));
/// assert_eq!(quality.places_used(), Some(0.5)); // one pair, two places
/// assert_eq!(quality.topic_coverage(), Some(1.0));
/// assert_eq!(quality.preferred_share(), None); // ben prefers nobody
/// assert_eq!(quality.blocking_pairs(), 0);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quality {
    matched_share: Option<f64>,
    places_used: Option<f64>,
    mean_score: Option<f64>,
    min_score: Option<f64>,
    score_quartiles: Option<[f64; 3]>,
    topic_coverage: Option<f64>,
    goal_alignment: Option<f64>,
    preferred_share: Option<f64>,
    blocking_pairs: u64,
}

impl Quality {
    /// The metrics of `pairs`, a matching of `cohort`: `places[k]` is the
    /// (mentor, mentee) of `pairs[k]`, `matched` the matched mentees, and
    /// `blocking_pairs` counted by the matcher (it needs every pair's score).
    ///
    /// Time: `O(P log P)` for `P` pairs, plus each pair's answers.
    pub(crate) fn measure(
        cohort: &Cohort,
        pairs: &[Pair],
        places: &[(MentorIndex, MenteeIndex)],
        matched: usize,
        blocking_pairs: u64,
    ) -> Quality {
        debug_assert_eq!(pairs.len(), places.len());
        let count = pairs.len();
        let mean = |sum: f64| (count > 0).then(|| sum / count as f64);
        // Sums from +0.0 in pair order, as `Matching::total_score`.
        let total = pairs.iter().map(Pair::score).fold(0.0, |sum, s| sum + s);
        let goals = pairs
            .iter()
            .map(|pair| pair.breakdown().goals())
            .fold(0.0, |sum, g| sum + g);
        let coverage = places
            .iter()
            .map(|&(mentor, mentee)| {
                topic_coverage(cohort.mentor(mentor), cohort.mentee(mentee)).unwrap_or(0.0)
            })
            .fold(0.0, |sum, c| sum + c);
        let capacity: u128 = cohort
            .mentors()
            .iter()
            .map(|&p| u128::from(cohort.at(p).capacity()))
            .sum();
        let mentees = cohort.mentees().len();
        let mentor_side = cohort.mentor_places();
        let (mut preferring, mut preferred) = (0usize, 0usize);
        for &(mentor, mentee) in places {
            let prefers = cohort.mentee(mentee).prefers();
            if prefers.iter().any(|&p| mentor_side[p.get()].is_some()) {
                preferring += 1;
                if prefers.contains(&cohort.mentors()[mentor.get()]) {
                    preferred += 1;
                }
            }
        }
        let mut scores: Vec<f64> = pairs.iter().map(Pair::score).collect();
        scores.sort_unstable_by(f64::total_cmp);
        Quality {
            matched_share: (mentees > 0).then(|| matched as f64 / mentees as f64),
            places_used: (capacity > 0).then(|| count as f64 / capacity as f64),
            mean_score: mean(total),
            min_score: scores.first().copied(),
            score_quartiles: quartiles(&scores),
            topic_coverage: mean(coverage),
            goal_alignment: mean(goals),
            preferred_share: (preferring > 0).then(|| preferred as f64 / preferring as f64),
            blocking_pairs,
        }
    }

    /// Matched mentees / mentees.
    pub fn matched_share(&self) -> Option<f64> {
        self.matched_share
    }

    /// Pairs / the total capacity of the mentors.
    pub fn places_used(&self) -> Option<f64> {
        self.places_used
    }

    /// The mean pair score.
    pub fn mean_score(&self) -> Option<f64> {
        self.mean_score
    }

    /// The smallest pair score.
    pub fn min_score(&self) -> Option<f64> {
        self.min_score
    }

    /// `[q1, median, q3]` of the pair scores, by linear interpolation between
    /// order statistics (numpy's default `percentile`).
    pub fn score_quartiles(&self) -> Option<[f64; 3]> {
        self.score_quartiles
    }

    /// The mean topic coverage of the pairs (see [`topic_coverage`]).
    pub fn topic_coverage(&self) -> Option<f64> {
        self.topic_coverage
    }

    /// The mean `goals` component of the pairs.
    pub fn goal_alignment(&self) -> Option<f64> {
        self.goal_alignment
    }

    /// Pairs whose mentee lists their mentor in `prefers`, over the pairs whose
    /// mentee lists anyone on the mentor side.
    pub fn preferred_share(&self) -> Option<f64> {
        self.preferred_share
    }

    /// Feasible pairs, not matched together, that would both rather be
    /// together: the mentee has fewer mentors than wanted or scores this
    /// mentor strictly above their worst-scored mentor, and the mentor has a
    /// free place or scores this mentee strictly above their worst-scored
    /// mentee. 0 for the `stable` method where nothing is pinned.
    pub fn blocking_pairs(&self) -> u64 {
        self.blocking_pairs
    }
}

/// The topic coverage of a pair: `Σ_t s[t]·[e[t] > c[t]] / Σ_t s[t]`, the share
/// of what `mentee` wants to learn (weighted by priority `s`) that `mentor`
/// knows (expertise `e`) beyond the mentee's level `c`.
///
/// `None` when `mentee` seeks nothing (a participant who is only a mentor).
/// Computed on the answers' integers, so the value is the exact ratio
/// rounded once. Time: linear in the two participants' answers.
///
/// ```
/// use mentor_match::{Cohort, topic_coverage};
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}, {"id": "sql", "label": "SQL"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5, "sql": 2}},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 3, "sql": 1}, "level": {"sql": 2}}]}"#.parse()?;
/// let (ana, ben) = (cohort.participant("ana").unwrap(), cohort.participant("ben").unwrap());
/// // Rust is covered (5 > 0), SQL is not (2 is not above 2): 3 / (3 + 1).
/// assert_eq!(topic_coverage(ana, ben), Some(0.75));
/// # Ok::<(), mentor_match::Error>(())
/// ```
pub fn topic_coverage(mentor: &Participant, mentee: &Participant) -> Option<f64> {
    // Both answer lists are in questionnaire order: one merge each.
    let (mut offers, mut levels) = (
        mentor.offers().iter().peekable(),
        mentee.level().iter().peekable(),
    );
    let answer = |list: &mut std::iter::Peekable<std::slice::Iter<'_, (usize, u8)>>, topic| {
        while list.next_if(|&&(t, _)| t < topic).is_some() {}
        list.next_if(|&&(t, _)| t == topic)
            .map_or(0, |&(_, value)| value)
    };
    let (mut covered, mut sought) = (0u64, 0u64);
    for &(topic, priority) in mentee.seeks() {
        sought += u64::from(priority);
        if answer(&mut offers, topic) > answer(&mut levels, topic) {
            covered += u64::from(priority);
        }
    }
    (sought > 0).then(|| covered as f64 / sought as f64)
}

/// `[q1, median, q3]` of `sorted` (ascending): numpy's default `percentile`
/// (method `"linear"`): at the virtual index `h = (n − 1)·q`, the order
/// statistics `a = x[⌊h⌋]` and `b = x[⌊h⌋ + 1]` are interpolated with
/// `g = h − ⌊h⌋` as numpy's `_lerp` does (`a + (b − a)·g` below `g = 0.5`,
/// `b − (b − a)·(1 − g)` from it), so the values agree to the bit.
fn quartiles(sorted: &[f64]) -> Option<[f64; 3]> {
    let last = sorted.len().checked_sub(1)?;
    let at = |quantile: f64| {
        // Exact: `last` is far below 2^53 and the quantile a multiple of 1/4.
        let index = last as f64 * quantile;
        let floor = index.floor();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let low = floor as usize;
        let (below, above) = (sorted[low], sorted[(low + 1).min(last)]);
        let weight = index - floor;
        let step = above - below;
        if weight >= 0.5 {
            above - step * (1.0 - weight)
        } else {
            below + step * weight
        }
    };
    Some([at(0.25), at(0.5), at(0.75)])
}

#[cfg(test)]
mod tests {
    use super::quartiles;

    #[test]
    fn quartiles_of_few_scores() {
        assert_eq!(quartiles(&[]), None);
        assert_eq!(quartiles(&[0.5]), Some([0.5, 0.5, 0.5]));
        // n = 2: h = 0.25, 0.5, 0.75 between 0 and 1.
        assert_eq!(quartiles(&[0.0, 1.0]), Some([0.25, 0.5, 0.75]));
        // Unsorted [0.7, 0.1, 0.3, 0.9]: h = 0.75, 1.5, 2.25, both sides of
        // the midpoint. Source of all these: numpy 2.4.6, `percentile(x, [25, 50, 75])`.
        assert_eq!(quartiles(&[0.1, 0.3, 0.7, 0.9]), Some([0.25, 0.5, 0.75]));
        // n = 5: h = 1, 2, 3, the order statistics themselves.
        assert_eq!(quartiles(&[0.1, 0.2, 0.3, 0.4, 0.5]), Some([0.2, 0.3, 0.4]));
    }
}
