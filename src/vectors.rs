//! Questionnaire answers as vectors: topics and goals in questionnaire order,
//! every answer divided by 5.

use ndarray::Array2;

use crate::Cohort;

/// The answers of one cohort as matrices, one row per participant of a side.
///
/// Mentor rows follow [`Cohort::mentors`], mentee rows [`Cohort::mentees`];
/// columns are topics or goals in questionnaire order.
///
/// Dense: memory `8 × people × (3 × topics + goals)` bytes, which no memory
/// limit checks. Scoring and matching do not build it; they keep each
/// person's answers as short lists.
///
/// ```
/// # let cohort: mentor_match::Cohort = r#"{
/// #   "questionnaire": {"topics": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
/// #   "participants": [
/// #     {"id": "m", "role": "mentor", "offers": {"b": 5}},
/// #     {"id": "e", "role": "mentee", "seeks": {"a": 2}, "level": {"a": 1}}]}"#.parse()?;
/// let vectors = cohort.vectors();
/// assert_eq!(vectors.expertise().row(0).to_vec(), vec![0.0, 1.0]);
/// assert_eq!(vectors.priority().row(0).to_vec(), vec![0.4, 0.0]);
/// assert_eq!(vectors.level().row(0).to_vec(), vec![0.2, 0.0]);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    expertise: Array2<f64>,
    priority: Array2<f64>,
    level: Array2<f64>,
    mentor_goals: Array2<f64>,
    mentee_goals: Array2<f64>,
}

impl Vectors {
    /// Builds the vectors of `cohort`.
    pub fn new(cohort: &Cohort) -> Vectors {
        let side = |people: &[crate::ParticipantIndex],
                    width: usize,
                    answers: fn(&crate::Participant) -> &[(usize, u8)]| {
            let mut matrix = Array2::zeros((people.len(), width));
            for (mut row, &person) in matrix.rows_mut().into_iter().zip(people) {
                for &(column, answer) in answers(cohort.at(person)) {
                    row[column] = f64::from(answer) / 5.0;
                }
            }
            matrix
        };
        let topics = cohort.topics().len();
        let goals = cohort.goals().len();
        Vectors {
            expertise: side(cohort.mentors(), topics, crate::Participant::offers),
            priority: side(cohort.mentees(), topics, crate::Participant::seeks),
            level: side(cohort.mentees(), topics, crate::Participant::level),
            mentor_goals: side(cohort.mentors(), goals, crate::Participant::goals),
            mentee_goals: side(cohort.mentees(), goals, crate::Participant::goals),
        }
    }

    /// Mentor expertise `e[t] = offers[t] / 5`, mentors × topics.
    pub fn expertise(&self) -> &Array2<f64> {
        &self.expertise
    }

    /// Mentee priority `s[t] = seeks[t] / 5`, mentees × topics.
    pub fn priority(&self) -> &Array2<f64> {
        &self.priority
    }

    /// Mentee level `c[t] = level[t] / 5`, mentees × topics.
    pub fn level(&self) -> &Array2<f64> {
        &self.level
    }

    /// Mentor goal vectors `g[k] = goals[k] / 5`, mentors × goals.
    pub fn mentor_goals(&self) -> &Array2<f64> {
        &self.mentor_goals
    }

    /// Mentee goal vectors `g[k] = goals[k] / 5`, mentees × goals.
    pub fn mentee_goals(&self) -> &Array2<f64> {
        &self.mentee_goals
    }
}

impl Cohort {
    /// The answers as vectors (see [`Vectors`]).
    pub fn vectors(&self) -> Vectors {
        Vectors::new(self)
    }
}
