//! Typed indices: a participant, a place on the mentor side, a place on the
//! mentee side. Three index spaces that a plain `usize` would let mix up.

use std::fmt;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            #[doc = concat!("The ", $what, " at this 0-based position.")]
            pub const fn new(index: usize) -> Self {
                Self(index)
            }

            /// The 0-based position.
            pub const fn get(self) -> usize {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(index: $name) -> usize {
                index.0
            }
        }
    };
}

index_type!(
    /// A participant's position in [`Cohort::participants`](crate::Cohort::participants) (file order).
    ParticipantIndex,
    "participant"
);
index_type!(
    /// A place on the mentor side: a row of the score matrix, a position in
    /// [`Cohort::mentors`](crate::Cohort::mentors).
    MentorIndex,
    "mentor-side place"
);
index_type!(
    /// A place on the mentee side: a column of the score matrix, a position in
    /// [`Cohort::mentees`](crate::Cohort::mentees).
    MenteeIndex,
    "mentee-side place"
);
