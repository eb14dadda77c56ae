//! The mutations: each edits a cohort file the way a broken export or a
//! careless hand edit would, and says what reading the result must give.
//! Every choice is a [`proptest::sample::Index`], so a failing mutation
//! shrinks toward the first participant, field and junk value.

mod keys;
mod participant;
mod sections;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::json;

use crate::doc::Doc;
use crate::expect::{Expect, Invalid, at};
use crate::junk::BAD_UTF8;
use keys::{misspell, unknown_key};
use participant::{answer, identity, participant_field, reference, remove_field};
use sections::{history, pin, questionnaire, rule, top, weight};

/// One edit; the [`Index`] fields choose what and where.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Set one participant field to a junk value.
    ParticipantField {
        who: Index,
        field: Index,
        junk: Index,
    },
    /// Remove one participant field.
    RemoveField { who: Index, field: Index },
    /// Add a field the object does not know (a participant, an answer map,
    /// the top level, `rules`, a `pinned` entry, ...).
    UnknownKey {
        target: Index,
        key: Index,
        junk: Index,
    },
    /// Rename an existing key by one typing slip.
    Misspell {
        target: Index,
        key: Index,
        edit: Index,
    },
    /// Set one answer (`offers.rust = ...`) to junk, or name a topic that
    /// does not exist.
    Answer {
        who: Index,
        kind: Index,
        key: Index,
        junk: Index,
    },
    /// `manager`, `prefers` or `avoids` naming self, nobody, "" or someone.
    Reference {
        who: Index,
        field: Index,
        target: Index,
        other: Index,
    },
    /// Duplicate, empty, renamed or removed ids; a removed or copied participant.
    Identity {
        who: Index,
        how: Index,
        other: Index,
        junk: Index,
    },
    /// Empty, missing, duplicated or renamed topics, goals and slots; a
    /// label, or a slot's day or hours, set to junk.
    Questionnaire {
        how: Index,
        item: Index,
        junk: Index,
        field: Index,
    },
    /// A top-level field set to junk.
    Top { field: Index, junk: Index },
    /// A `rules` entry set to junk.
    Rule { key: Index, junk: Index },
    /// A `weights` entry set to junk.
    Weight { key: Index, junk: Index },
    /// A `history` entry added, broken in one way.
    History { how: Index, junk: Index, who: Index },
    /// A `pinned` entry added that conflicts (or, once, one that is fine).
    Pin { how: Index, a: Index, b: Index },
    /// The text cut at a byte.
    Truncate { at: Index },
    /// Bytes that are not UTF-8 inserted at a byte.
    BadUtf8 { at: Index, bytes: Index },
}

/// Any one mutation, the common ones more often.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<Index>;
    prop_oneof![
        6 => (i(), i(), i()).prop_map(|(who, field, junk)| Mutation::ParticipantField { who, field, junk }),
        2 => (i(), i()).prop_map(|(who, field)| Mutation::RemoveField { who, field }),
        3 => (i(), i(), i()).prop_map(|(target, key, junk)| Mutation::UnknownKey { target, key, junk }),
        3 => (i(), i(), i()).prop_map(|(target, key, edit)| Mutation::Misspell { target, key, edit }),
        4 => (i(), i(), i(), i()).prop_map(|(who, kind, key, junk)| Mutation::Answer { who, kind, key, junk }),
        2 => (i(), i(), i(), i()).prop_map(|(who, field, target, other)| Mutation::Reference { who, field, target, other }),
        2 => (i(), i(), i(), i()).prop_map(|(who, how, other, junk)| Mutation::Identity { who, how, other, junk }),
        2 => (i(), i(), i(), i()).prop_map(|(how, item, junk, field)| Mutation::Questionnaire { how, item, junk, field }),
        2 => (i(), i()).prop_map(|(field, junk)| Mutation::Top { field, junk }),
        1 => (i(), i()).prop_map(|(key, junk)| Mutation::Rule { key, junk }),
        1 => (i(), i()).prop_map(|(key, junk)| Mutation::Weight { key, junk }),
        1 => (i(), i(), i()).prop_map(|(how, junk, who)| Mutation::History { how, junk, who }),
        3 => (i(), i(), i()).prop_map(|(how, a, b)| Mutation::Pin { how, a, b }),
        1 => i().prop_map(|at| Mutation::Truncate { at }),
        1 => (i(), i()).prop_map(|(at, bytes)| Mutation::BadUtf8 { at, bytes }),
    ]
}

/// Applies `mutation` to `doc`; returns what reading it must give.
pub fn apply(doc: &mut Doc, mutation: &Mutation) -> Expect {
    match mutation {
        Mutation::ParticipantField { who, field, junk } => {
            participant_field(doc, *who, *field, *junk)
        }
        Mutation::RemoveField { who, field } => remove_field(doc, *who, *field),
        Mutation::UnknownKey { target, key, junk } => unknown_key(doc, *target, *key, *junk),
        Mutation::Misspell { target, key, edit } => misspell(doc, *target, *key, *edit),
        Mutation::Answer {
            who,
            kind,
            key,
            junk,
        } => answer(doc, *who, *kind, *key, *junk),
        Mutation::Reference {
            who,
            field,
            target,
            other,
        } => reference(doc, *who, *field, *target, *other),
        Mutation::Identity {
            who,
            how,
            other,
            junk,
        } => identity(doc, *who, *how, *other, *junk),
        Mutation::Questionnaire {
            how,
            item,
            junk,
            field,
        } => questionnaire(doc, *how, *item, *junk, *field),
        Mutation::Top { field, junk } => top(doc, *field, *junk),
        Mutation::Rule { key, junk } => rule(doc, *key, *junk),
        Mutation::Weight { key, junk } => weight(doc, *key, *junk),
        Mutation::History { how, junk, who } => history(doc, *how, *junk, *who),
        Mutation::Pin { how, a, b } => pin(doc, *how, *a, *b),
        Mutation::Truncate { at } => {
            doc.truncate = Some(*at);
            Expect::Syntax { must_fail: false }
        }
        Mutation::BadUtf8 { at, bytes } => {
            doc.inserts
                .push((*at, BAD_UTF8[bytes.index(BAD_UTF8.len())]));
            Expect::Syntax { must_fail: true }
        }
    }
}

/// A top-level field that cannot exist: used when a mutation finds nothing
/// to work on (a cohort without participants, say).
pub fn fallback(doc: &mut Doc) -> Expect {
    doc.value["no-such-field"] = json!(1);
    at(&["cohort"], &["no-such-field"], Invalid)
}
