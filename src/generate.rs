//! Realistic cohorts from a seed, valid by construction: for trying the crate
//! at scale, benchmarks and tests.

use crate::score::Scorer;
use crate::{Answers, Cohort, HistoryEntry, Weights};

/// Offices people work from: a name, hours ahead of UTC, and a local language.
const OFFICES: [(&str, f64, &str); 6] = [
    ("stockholm", 1.0, "sv"),
    ("london", 0.0, "en"),
    ("new-york", -5.0, "en"),
    ("sao-paulo", -3.0, "pt"),
    ("bangalore", 5.5, "hi"),
    ("sydney", 11.0, "en"),
];

/// Parts of the day the questionnaire offers on each weekday: name, start, end.
const DAY_PARTS: [(&str, f64, f64); 3] = [
    ("morning", 9.0, 12.0),
    ("afternoon", 13.0, 17.0),
    ("evening", 18.0, 21.0),
];
const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// A seeded generator of cohorts; [`Generator::cohort`] builds one.
///
/// People work in offices on four continents (time zones, a local language
/// besides English), in teams of about twenty with a manager each; mentors
/// offer 2–4 topics and take 1–3 mentees, mentees seek 1–3 topics (about a
/// fifth of them want two mentors), topic popularity is skewed (the first
/// topics are sought and offered most), and earlier rounds of rated pairs
/// fill the history. The same settings give the same cohort on every machine.
///
/// ```
/// use mentor_match::Generator;
///
/// let cohort = Generator::new(30, 40).topics(8).goals(4).seed(7).cohort();
/// assert_eq!(cohort.mentors().len(), 30);
/// assert_eq!(cohort.mentees().len(), 40);
/// assert_eq!(cohort, Generator::new(30, 40).topics(8).goals(4).seed(7).cohort());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    mentors: usize,
    mentees: usize,
    topics: usize,
    goals: usize,
    seed: u64,
    slots: bool,
    rounds: usize,
    two_mentors: f64,
    /// Hidden weights and noise the history's ratings are drawn from.
    rated_by: Option<(Weights, f64)>,
}

impl Generator {
    /// A generator of `mentors` mentors and `mentees` mentees, with the
    /// defaults of the other settings.
    pub fn new(mentors: usize, mentees: usize) -> Generator {
        Generator {
            mentors,
            mentees,
            topics: 16,
            goals: 8,
            seed: 1,
            slots: true,
            rounds: 2,
            two_mentors: 0.2,
            rated_by: None,
        }
    }

    /// Topics of the questionnaire (default 16; at least 1 is used).
    #[must_use]
    pub fn topics(mut self, topics: usize) -> Self {
        self.topics = topics;
        self
    }

    /// Goals of the questionnaire (default 8).
    #[must_use]
    pub fn goals(mut self, goals: usize) -> Self {
        self.goals = goals;
        self
    }

    /// The seed (default 1).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether the questionnaire has weekly meeting times that people pick
    /// (default true).
    #[must_use]
    pub fn slots(mut self, slots: bool) -> Self {
        self.slots = slots;
        self
    }

    /// Earlier rounds of rated pairs in the history (default 2).
    #[must_use]
    pub fn rounds(mut self, rounds: usize) -> Self {
        self.rounds = rounds;
        self
    }

    /// The share of mentees who want two mentors (`mentors_wanted` 2) rather
    /// than one (default 0.2). A value outside [0, 1] counts as the nearest
    /// end; NaN as 0.
    ///
    /// ```
    /// use mentor_match::Generator;
    ///
    /// let cohort = Generator::new(10, 200).two_mentors(0.5).cohort();
    /// let two = cohort.mentees().iter().filter(|&&p| cohort.at(p).mentors_wanted() == 2).count();
    /// assert!((60..140).contains(&two), "{two}");
    /// let one = Generator::new(10, 200).two_mentors(0.0).cohort();
    /// assert!(one.mentees().iter().all(|&p| one.at(p).mentors_wanted() == 1));
    /// ```
    #[must_use]
    pub fn two_mentors(mut self, share: f64) -> Self {
        self.two_mentors = if share.is_nan() {
            0.0
        } else {
            share.clamp(0.0, 1.0)
        };
        self
    }

    /// Draws the history's ratings from a hidden weighting rather than
    /// uniformly (default: uniform 1–5, unrelated to the pair): each
    /// history pair's score under `weights` (with the pair's current
    /// answers), plus Gaussian noise of standard deviation `noise` (score
    /// units; a NaN or negative value counts as 0), and the pairs cut by
    /// that value into five groups of equal size (20% each, rated 1 to 5,
    /// ties in history order). The same pairs are drawn as without it, and
    /// the noise comes from a stream of its own. For testing that tuning
    /// from feedback recovers `weights`.
    ///
    /// ```
    /// use mentor_match::{Component, Generator, Weights};
    ///
    /// let hidden = Weights::default().with(Component::Goals, 1.0);
    /// let rated = Generator::new(20, 40).rated_by(hidden, 0.05).cohort();
    /// let plain = Generator::new(20, 40).cohort();
    /// let pairs = |c: &mentor_match::Cohort| -> Vec<_> {
    ///     c.history().iter().map(|h| (h.mentor(), h.mentee())).collect()
    /// };
    /// assert_eq!(pairs(&rated), pairs(&plain));
    /// ```
    #[must_use]
    pub fn rated_by(mut self, weights: Weights, noise: f64) -> Self {
        let noise = if noise > 0.0 { noise } else { 0.0 };
        self.rated_by = Some((weights, noise));
        self
    }

    /// Builds the cohort.
    ///
    /// # Panics
    ///
    /// When the weights of [`Generator::rated_by`] fail [`Weights::check`];
    /// otherwise only on a bug: every generated cohort is valid.
    pub fn cohort(&self) -> Cohort {
        let mut random = Random::new(self.seed);
        let topics = self.topics.max(1);
        let mut builder = Cohort::builder().name(format!(
            "Generated cohort: {} mentors, {} mentees, seed {}",
            self.mentors, self.mentees, self.seed
        ));
        for t in 0..topics {
            builder = builder.topic(format!("topic-{t}"), format!("Topic {t}"));
        }
        for g in 0..self.goals {
            builder = builder.goal(format!("goal-{g}"), format!("Goal {g}"));
        }
        let mut slot_ids = Vec::new();
        if self.slots {
            for (day, weekday) in (0i64..).zip(WEEKDAYS) {
                for (part, start, end) in DAY_PARTS {
                    let id = format!("{weekday}-{part}");
                    builder =
                        builder.slot(id.clone(), format!("{weekday} {part}"), day, start, end);
                    slot_ids.push(id);
                }
            }
        }

        let people = self.mentors + self.mentees;
        let teams = people.div_ceil(20).max(1);
        let id = |p: usize| self.id(p);
        // A stream of its own, so that the share changes nothing else.
        let mut wanted = Random::new(self.seed ^ 0x6d65_6e74_6f72_7332);
        for p in 0..people {
            let team = random.below(teams);
            let mut answers = self.person(&mut random, p, team, &slot_ids);
            if p >= self.mentors && wanted.unit() < self.two_mentors {
                answers = answers.mentors_wanted(2);
            }
            builder = builder.participant(answers);
        }

        let mut history = Vec::new();
        if self.mentors > 0 {
            for round in 0..self.rounds {
                for mentee in 0..self.mentees {
                    if random.chance(1, 3) {
                        let mentor = random.below(self.mentors);
                        history.push((round, mentor, mentee, 1 + i64::from(random.below_u32(5))));
                    }
                }
            }
        }
        if let Some((weights, noise)) = self.rated_by {
            weights
                .check()
                .expect("the weights of `Generator::rated_by` are valid");
            self.rate(&builder, &weights, noise, &mut history);
        }
        for (round, mentor, mentee, rating) in history {
            builder = builder.history(HistoryEntry {
                round: Some(format!("round-{}", round + 1)),
                rating: Some(rating),
                ..HistoryEntry::new(id(mentor), id(self.mentors + mentee))
            });
        }
        builder
            .build()
            .expect("generated cohorts are valid by construction")
    }

    /// Replaces the ratings of `history` (round, mentor, mentee, rating) by
    /// the quintiles of each pair's score under `weights` plus noise.
    fn rate(
        &self,
        people: &crate::CohortBuilder,
        weights: &Weights,
        noise: f64,
        history: &mut [(usize, usize, usize, i64)],
    ) {
        let cohort = people
            .clone()
            .build()
            .expect("generated cohorts are valid by construction");
        let scorer = Scorer::new(&cohort, weights, cohort.rules());
        let mut random = Random::new(self.seed ^ 0x7261_7469_6e67_7321);
        let latent: Vec<f64> = history
            .iter()
            .map(|&(_, mentor, mentee, _)| {
                // Mentors are the first participants and mentees the rest,
                // each side in file order: the numbers are their places.
                let parts = scorer.pair(mentor, mentee).0;
                weights.score(&parts) + noise * random.gaussian()
            })
            .collect();
        let mut order: Vec<usize> = (0..history.len()).collect();
        order.sort_by(|&a, &b| latent[a].total_cmp(&latent[b]));
        for (rank, &k) in order.iter().enumerate() {
            let quintile = rank * 5 / history.len();
            history[k].3 = 1 + i64::try_from(quintile).expect("a quintile is below 5");
        }
    }

    /// The id of participant `p`: mentors first, then mentees.
    fn id(&self, p: usize) -> String {
        if p < self.mentors {
            format!("mentor-{p}")
        } else {
            format!("mentee-{}", p - self.mentors)
        }
    }

    /// The answers of participant `p`, of team `team`.
    fn person(&self, random: &mut Random, p: usize, team: usize, slot_ids: &[String]) -> Answers {
        let mentor = p < self.mentors;
        let topics = self.topics.max(1);
        let (office, offset, language) = OFFICES[team % OFFICES.len()];
        let mut answers = if mentor {
            Answers::mentor(self.id(p))
        } else {
            Answers::mentee(self.id(p))
        }
        .team(format!("{office}-team-{team}"))
        .language("en")
        .hours_per_month(f64::from(1 + random.below_u32(8)))
        .seniority(i64::from(random.below_u32(6)));
        if language != "en" && random.chance(3, 4) {
            answers = answers.language(language);
        }
        // A team is managed by a mentor (not by the manager themself).
        let manager = team % self.mentors.max(1);
        if self.mentors > 0 && manager != p && random.chance(1, 2) {
            answers = answers.manager(self.id(manager));
        }
        if mentor {
            let count = 2 + random.below(3);
            for topic in random.skewed_distinct(topics, count) {
                let expertise = 3 + i64::from(random.below_u32(3));
                answers = answers.offers(format!("topic-{topic}"), expertise);
            }
            answers = answers.capacity(1 + u64::from(random.below_u32(3)));
        } else {
            let count = 1 + random.below(3);
            for topic in random.skewed_distinct(topics, count) {
                let priority = 1 + i64::from(random.below_u32(5));
                answers = answers.seeks(format!("topic-{topic}"), priority);
                if random.chance(1, 2) {
                    let level = i64::from(random.below_u32(3));
                    answers = answers.level(format!("topic-{topic}"), level);
                }
            }
        }
        if self.goals > 0 {
            let count = 1 + random.below(3);
            for goal in random.skewed_distinct(self.goals, count) {
                let importance = 1 + i64::from(random.below_u32(5));
                answers = answers.goal(format!("goal-{goal}"), importance);
            }
        }
        if !slot_ids.is_empty() {
            for _ in 0..2 + random.below(4) {
                answers = answers.slot(slot_ids[random.below(slot_ids.len())].clone());
            }
            answers = answers.utc_offset(offset);
        }
        answers
    }
}

/// xorshift64*: small, seeded, and the same on every machine.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n, which is a usize")
    }

    fn below_u32(&mut self, n: u32) -> u32 {
        u32::try_from(self.next() % u64::from(n)).expect("below n, which is a u32")
    }

    /// A number in [0, 1), uniform on multiples of 2^-53.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal number (Box–Muller).
    fn gaussian(&mut self) -> f64 {
        let radius = (-2.0 * (1.0 - self.unit()).ln()).sqrt();
        radius * (std::f64::consts::TAU * self.unit()).cos()
    }

    /// True with probability `k / n`.
    fn chance(&mut self, k: u64, n: u64) -> bool {
        self.next() % n < k
    }

    /// `count` distinct values of `0..n` (fewer when `n` is smaller), the
    /// small ones likelier: value `v` is drawn with weight `1 / (v + 1)`.
    fn skewed_distinct(&mut self, n: usize, count: usize) -> Vec<usize> {
        let mut picked: Vec<usize> = Vec::with_capacity(count);
        let count = count.min(n);
        while picked.len() < count {
            // Inverse of the harmonic weights, approximated by a log-uniform draw.
            let unit = self.unit();
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let value = ((n as f64 + 1.0).powf(unit) - 1.0) as usize;
            let value = value.min(n - 1);
            if !picked.contains(&value) {
                picked.push(value);
            }
        }
        picked.sort_unstable();
        picked
    }
}
