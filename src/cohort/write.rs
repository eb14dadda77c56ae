//! A cohort written back as a cohort file: reading the file gives the same
//! cohort (fields at their defaults are written too, so the file does not
//! depend on them; answers of 0 and history that was ignored are not).

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{Cohort, Item, Participant};
use crate::ParticipantIndex;

impl Serialize for Cohort {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        map.serialize_entry("questionnaire", &Questionnaire(self))?;
        map.serialize_entry("participants", &Participants(self))?;
        map.serialize_entry("history", &History(self))?;
        map.serialize_entry("pinned", &Pinned(self))?;
        map.serialize_entry("rules", &self.rules)?;
        map.serialize_entry("weights", &self.weights)?;
        map.serialize_entry("objective", &self.objective)?;
        map.end()
    }
}

struct Questionnaire<'a>(&'a Cohort);

impl Serialize for Questionnaire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("topics", &Items(&self.0.topics))?;
        map.serialize_entry("goals", &Items(&self.0.goals))?;
        if !self.0.slots.is_empty() {
            map.serialize_entry("slots", &Slots(&self.0.slots))?;
        }
        map.end()
    }
}

struct Items<'a>(&'a [Item]);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(
                &[("id", &item.id), ("label", &item.label)]
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )?;
        }
        seq.end()
    }
}

struct Slots<'a>(&'a [crate::Slot]);

impl Serialize for Slots<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for slot in self.0 {
            seq.serialize_element(&serde_json::json!({
                "id": slot.id,
                "label": slot.label,
                "day": slot.day,
                "start": slot.start,
                "end": slot.end,
            }))?;
        }
        seq.end()
    }
}

struct Participants<'a>(&'a Cohort);

impl Serialize for Participants<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.participants.len()))?;
        for person in &self.0.participants {
            seq.serialize_element(&Person(self.0, person))?;
        }
        seq.end()
    }
}

struct Person<'a>(&'a Cohort, &'a Participant);

impl Serialize for Person<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Person(cohort, person) = *self;
        let role = person.role;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &person.id)?;
        if let Some(name) = &person.name {
            map.serialize_entry("name", name)?;
        }
        map.serialize_entry("role", role.as_str())?;
        if role.mentors() {
            map.serialize_entry("offers", &Answers(&cohort.topics, &person.offers))?;
            map.serialize_entry("capacity", &person.capacity)?;
        }
        if role.is_mentored() {
            map.serialize_entry("seeks", &Answers(&cohort.topics, &person.seeks))?;
            if person.mentors_wanted != 1 {
                map.serialize_entry("mentors_wanted", &person.mentors_wanted)?;
            }
            if !person.level.is_empty() {
                map.serialize_entry("level", &Answers(&cohort.topics, &person.level))?;
            }
        }
        if !person.goals.is_empty() {
            map.serialize_entry("goals", &Answers(&cohort.goals, &person.goals))?;
        }
        if let Some(hours) = person.hours_per_month {
            map.serialize_entry("hours_per_month", &hours)?;
        }
        if !person.languages.is_empty() {
            map.serialize_entry("languages", &person.languages)?;
        }
        if let Some(team) = &person.team {
            map.serialize_entry("team", team)?;
        }
        if let Some(manager) = person.manager {
            map.serialize_entry("manager", cohort.at(manager).id())?;
        }
        if let Some(seniority) = person.seniority {
            map.serialize_entry("seniority", &seniority)?;
        }
        for (field, list) in [("prefers", &person.prefers), ("avoids", &person.avoids)] {
            if !list.is_empty() {
                map.serialize_entry(field, &Ids(cohort, list))?;
            }
        }
        if !person.slots.is_empty() {
            let ids: Vec<&str> = person.slots.iter().map(|&k| cohort.slots[k].id()).collect();
            map.serialize_entry("slots", &ids)?;
        }
        if person.utc_offset != 0.0 {
            map.serialize_entry("utc_offset", &person.utc_offset)?;
        }
        map.end()
    }
}

/// Answers as an `{id: answer}` object in questionnaire order.
struct Answers<'a>(&'a [Item], &'a [(usize, u8)]);

impl Serialize for Answers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.1.len()))?;
        for &(position, answer) in self.1 {
            map.serialize_entry(&self.0[position].id, &answer)?;
        }
        map.end()
    }
}

struct Ids<'a>(&'a Cohort, &'a [ParticipantIndex]);

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.1.iter().map(|&p| self.0.at(p).id()))
    }
}

struct History<'a>(&'a Cohort);

impl Serialize for History<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let cohort = self.0;
        serializer.collect_seq(cohort.history.iter().map(|pair| crate::HistoryEntry {
            mentor: cohort.at(pair.mentor).id.clone(),
            mentee: cohort.at(pair.mentee).id.clone(),
            round: pair.round.clone(),
            rating: pair.rating.map(i64::from),
        }))
    }
}

struct Pinned<'a>(&'a Cohort);

impl Serialize for Pinned<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let cohort = self.0;
        let mut seq = serializer.serialize_seq(Some(cohort.pinned.len()))?;
        for &(mentor, mentee) in &cohort.pinned {
            let mut pair = std::collections::BTreeMap::new();
            pair.insert("mentor", cohort.mentor(mentor).id());
            pair.insert("mentee", cohort.mentee(mentee).id());
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}
