//! The typed builder every input path uses: answers in, a checked cohort out.

use std::collections::HashMap;

use super::Cohort;
use super::answers::{Answers, HistoryEntry};
use super::checks::{
    Questionnaire, SlotAnswer, history, items, participant, pinned, place, positions, slots,
};
use crate::{
    Error, Location, MenteeIndex, MentorIndex, Objective, ParticipantIndex, Rules, Weights,
};

/// Builds a [`Cohort`] from typed answers; start it with [`Cohort::builder`].
///
/// Setters never fail and state their default; [`CohortBuilder::build`] runs
/// every check of the specification once.
///
/// ```
/// use mentor_match::{Answers, Cohort, Objective};
///
/// let cohort = Cohort::builder()
///     .name("Pilot")
///     .topic("rust", "Rust")
///     .goal("career", "Career growth")
///     .participant(Answers::mentor("ana").offers("rust", 5).goal("career", 3))
///     .participant(Answers::mentee("ben").seeks("rust", 4).level("rust", 1))
///     .objective(Objective::Fairness)
///     .build()?;
/// assert_eq!(cohort.matcher().solve()?.mentor_of("ben"), Some("ana"));
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortBuilder {
    name: Option<String>,
    topics: Vec<(String, Option<String>)>,
    goals: Vec<(String, Option<String>)>,
    slots: Vec<SlotAnswer>,
    participants: Vec<Answers>,
    history: Vec<HistoryEntry>,
    pinned: Vec<(String, String)>,
    rules: Rules,
    weights: Option<Weights>,
    objective: Objective,
}

impl CohortBuilder {
    /// The round's name (default none).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a topic to the questionnaire (at least one is required).
    #[must_use]
    pub fn topic(mut self, id: impl Into<String>, label: impl Into<String>) -> Self {
        self.topics.push((id.into(), Some(label.into())));
        self
    }

    /// Adds a goal to the questionnaire (default: no goals).
    #[must_use]
    pub fn goal(mut self, id: impl Into<String>, label: impl Into<String>) -> Self {
        self.goals.push((id.into(), Some(label.into())));
        self
    }

    /// Adds a weekly meeting window to the questionnaire (default: none):
    /// `day` 0 (Monday) to 6, `start` and `end` hours with
    /// `0 <= start < end <= 24`, each a multiple of 0.25, in the local time of
    /// whoever picks it.
    #[must_use]
    pub fn slot(
        mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        day: i64,
        start: f64,
        end: f64,
    ) -> Self {
        self.slots
            .push((id.into(), Some(label.into()), day, start, end));
        self
    }

    /// Adds a meeting window whose label is its id.
    pub(crate) fn slot_without_label(mut self, id: String, day: i64, start: f64, end: f64) -> Self {
        self.slots.push((id, None, day, start, end));
        self
    }

    /// Adds a topic whose label is its id.
    pub(crate) fn topic_without_label(mut self, id: String) -> Self {
        self.topics.push((id, None));
        self
    }

    /// Adds a goal whose label is its id.
    pub(crate) fn goal_without_label(mut self, id: String) -> Self {
        self.goals.push((id, None));
        self
    }

    /// Adds a participant's answers, in file order.
    #[must_use]
    pub fn participant(mut self, answers: Answers) -> Self {
        self.participants.push(answers);
        self
    }

    /// Adds a pair of an earlier round (default: no history). An entry naming
    /// someone not in the cohort, or not on that side, is ignored, as the
    /// specification says: people leave a programme between rounds.
    #[must_use]
    pub fn history(mut self, entry: HistoryEntry) -> Self {
        self.history.push(entry);
        self
    }

    /// Pins a pair by ids (default: nothing pinned).
    #[must_use]
    pub fn pin(mut self, mentor: impl Into<String>, mentee: impl Into<String>) -> Self {
        self.pinned.push((mentor.into(), mentee.into()));
        self
    }

    /// The rules (default [`Rules::default`]).
    #[must_use]
    pub fn rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// The weights (default [`Weights::for_questionnaire`]: the
    /// specification's, with `schedule` 0.1 when the questionnaire has slots
    /// and 0 when it has none).
    #[must_use]
    pub fn weights(mut self, weights: Weights) -> Self {
        self.weights = Some(weights);
        self
    }

    /// The objective (default [`Objective::Coverage`]).
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Checks everything and builds the cohort.
    ///
    /// # Errors
    ///
    /// The first bad answer, naming the participant (or the place given with
    /// [`Answers::at`], `questionnaire`, `history[i]`, `pinned[i]`, `rules`,
    /// `weights`) and the field: an empty or duplicate id, an unknown topic
    /// or goal, a value outside its range, a field of the other side, missing
    /// answers for a side, a reference to nobody or to oneself, a pinned pair
    /// that cannot be honoured, bad rules or weights.
    pub fn build(self) -> Result<Cohort, Error> {
        let topics = items(self.topics, "topics")?;
        let goals = items(self.goals, "goals")?;
        if topics.is_empty() {
            return Err(Error::OutOfRange {
                at: Location::Questionnaire,
                field: "topics".into(),
                expected: "a list of at least one topic",
                found: "[]".into(),
            });
        }
        let slots = slots(self.slots)?;
        let topic_at = positions(&topics);
        let goal_at = positions(&goals);
        let slot_at: HashMap<&str, usize> = slots
            .iter()
            .enumerate()
            .map(|(k, slot)| (slot.id.as_str(), k))
            .collect();
        let questionnaire = Questionnaire {
            topics: &topic_at,
            goals: &goal_at,
            slots: &slot_at,
        };

        let mut by_id: HashMap<String, ParticipantIndex> =
            HashMap::with_capacity(self.participants.len());
        for (index, answers) in self.participants.iter().enumerate() {
            if answers.id.is_empty() {
                return Err(Error::EmptyId {
                    at: answers
                        .origin
                        .clone()
                        .unwrap_or(Location::ParticipantAt(index)),
                    field: "id".into(),
                });
            }
            if by_id
                .insert(answers.id.clone(), ParticipantIndex::new(index))
                .is_some()
            {
                return Err(Error::DuplicateId {
                    at: place(answers),
                    field: "participants".into(),
                    id: answers.id.clone(),
                });
            }
        }
        let mut participants = Vec::with_capacity(self.participants.len());
        // The answers are moved into the checked participants, not copied.
        for (index, answers) in self.participants.into_iter().enumerate() {
            participants.push(participant(answers, index, &questionnaire, &by_id)?);
        }

        let mut mentor_place = vec![None; participants.len()];
        let mut mentee_place = vec![None; participants.len()];
        let mut mentors = Vec::new();
        let mut mentees = Vec::new();
        for (p, person) in participants.iter().enumerate() {
            if person.role.mentors() {
                mentor_place[p] = Some(MentorIndex::new(mentors.len()));
                mentors.push(ParticipantIndex::new(p));
            }
            if person.role.is_mentored() {
                mentee_place[p] = Some(MenteeIndex::new(mentees.len()));
                mentees.push(ParticipantIndex::new(p));
            }
        }

        let history = history(self.history, &by_id, &participants)?;
        let pinned = pinned(
            &self.pinned,
            &by_id,
            &participants,
            &mentor_place,
            &mentee_place,
        )?;
        self.rules.check()?;
        let weights = self
            .weights
            .unwrap_or_else(|| Weights::for_questionnaire(!slots.is_empty()));
        weights.check()?;

        Ok(Cohort {
            name: self.name,
            topics,
            goals,
            slots,
            participants,
            by_id,
            mentors,
            mentees,
            mentor_place,
            mentee_place,
            history,
            pinned,
            rules: self.rules,
            weights,
            objective: self.objective,
        })
    }
}
