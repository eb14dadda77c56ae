//! Rows of a form export to [`Answers`], through the mapping, and on to a
//! cohort through [`Cohort::builder`].

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;

use super::cell::{self, Words};
use super::mapping::{ColumnRef, Duplicates, MappingFile, Side, TopicField};
use super::{SurveyMapping, SurveyTable};
use crate::{Answers, Cohort, Error, Location, Role};

/// How a multi-select column's topics get their answer.
enum Level<'m> {
    Fixed(i64),
    Column(usize, Option<&'m Words<i64>>),
}

struct ChoicePlan<'m> {
    column: usize,
    field: TopicField,
    level: Level<'m>,
    separator: &'m str,
    prefix: Option<&'m str>,
    options: Words<String>,
}

struct RatingPlan<'m> {
    column: usize,
    topic: &'m str,
    field: TopicField,
    scale: Option<&'m Words<i64>>,
}

struct GoalPlan<'m> {
    column: usize,
    goal: &'m str,
    scale: Option<&'m Words<i64>>,
    side: Option<Side>,
}

/// The mapping resolved against one export: column indices and word tables.
struct Plan<'m> {
    id: usize,
    role: usize,
    roles: Words<Role>,
    name: Option<usize>,
    team: Option<usize>,
    manager: Option<usize>,
    seniority: Option<usize>,
    hours: Option<usize>,
    capacity: Option<usize>,
    mentors_wanted: Option<usize>,
    prefers: Option<usize>,
    avoids: Option<usize>,
    languages: Option<usize>,
    language_words: Words<String>,
    time_zone: Option<usize>,
    zone_words: Words<String>,
    date: Option<Date>,
    checkboxes: Option<usize>,
    slot_words: Words<String>,
    grid: Vec<(usize, Words<String>)>,
    ratings: Vec<RatingPlan<'m>>,
    choices: Vec<ChoicePlan<'m>>,
    goals: Vec<GoalPlan<'m>>,
    hours_words: Words<f64>,
    capacity_words: Words<u64>,
    wanted_words: Words<u64>,
    seniority_words: Words<i64>,
    separator: &'m str,
}

/// The export's headers, for finding columns.
struct Headers<'t> {
    written: &'t [String],
    keys: Vec<String>,
}

impl Headers<'_> {
    fn find(&self, reference: &ColumnRef, field: &str) -> Result<usize, Error> {
        let missing = || Error::MissingColumn {
            field: field.to_owned(),
            column: reference.to_string(),
        };
        match reference {
            ColumnRef::Letter { index, .. } => {
                if *index < self.written.len() {
                    Ok(*index)
                } else {
                    Err(missing())
                }
            }
            ColumnRef::Header { text, occurrence } => {
                let key = cell::normalise(text);
                let found: Vec<usize> = (0..self.keys.len())
                    .filter(|&c| self.keys[c] == key)
                    .collect();
                match (occurrence, found.as_slice()) {
                    (_, []) => Err(missing()),
                    (None, [one]) => Ok(*one),
                    (None, _) => Err(Error::AmbiguousColumn {
                        field: field.to_owned(),
                        header: cell::collapse(text),
                        letters: found.iter().map(|&c| cell::column_letter(c)).collect(),
                    }),
                    (Some(n), found) => found.get(n - 1).copied().ok_or_else(missing),
                }
            }
        }
    }

    fn find_optional(
        &self,
        reference: Option<&ColumnRef>,
        field: &str,
    ) -> Result<Option<usize>, Error> {
        reference.map(|r| self.find(r, field)).transpose()
    }
}

fn words<T: Clone>(map: &BTreeMap<String, T>) -> Words<T> {
    let mut words = Words::default();
    for (word, meaning) in map {
        words.insert(word, meaning.clone());
    }
    words
}

impl<'m> Plan<'m> {
    fn new(mapping: &'m SurveyMapping, headers: &Headers<'_>) -> Result<Plan<'m>, Error> {
        let f: &MappingFile = &mapping.file;
        let c = &f.columns;
        let q = &f.questionnaire;
        let find = |r: Option<&ColumnRef>, field: &str| headers.find_optional(r, field);

        let mut roles = Words::default();
        for (list, role) in [
            (&f.roles.mentor, Role::Mentor),
            (&f.roles.mentee, Role::Mentee),
            (&f.roles.both, Role::Both),
        ] {
            for word in list {
                roles.insert(word, role);
            }
        }
        for role in [Role::Mentor, Role::Mentee, Role::Both] {
            roles.insert(role.as_str(), role);
        }

        let mut slot_words = words(&f.meeting_times.options);
        for slot in &q.slots {
            if let Some(label) = &slot.label {
                slot_words.insert(label, slot.id.clone());
            }
            slot_words.insert(&slot.id, slot.id.clone());
        }
        let grid = f
            .meeting_times
            .grid
            .iter()
            .enumerate()
            .map(|(k, g)| {
                let column = headers.find(&g.column, &format!("meeting_times.grid[{k}].column"))?;
                Ok((column, words(&g.options)))
            })
            .collect::<Result<_, Error>>()?;

        let (ratings, choices, goals) = answer_plans(mapping, headers)?;

        Ok(Plan {
            id: headers.find(&c.id, "columns.id")?,
            role: headers.find(&c.role, "columns.role")?,
            roles,
            name: find(c.name.as_ref(), "columns.name")?,
            team: find(c.team.as_ref(), "columns.team")?,
            manager: find(c.manager.as_ref(), "columns.manager")?,
            seniority: find(c.seniority.as_ref(), "columns.seniority")?,
            hours: find(c.hours.as_ref(), "columns.hours")?,
            capacity: find(c.capacity.as_ref(), "columns.capacity")?,
            mentors_wanted: find(c.mentors_wanted.as_ref(), "columns.mentors_wanted")?,
            prefers: find(c.prefers.as_ref(), "columns.prefers")?,
            avoids: find(c.avoids.as_ref(), "columns.avoids")?,
            languages: find(c.languages.as_ref(), "columns.languages")?,
            language_words: words(&f.languages),
            time_zone: find(c.time_zone.as_ref(), "columns.time_zone")?,
            zone_words: words(&f.time_zone.names),
            date: f.time_zone.date.as_deref().and_then(cell::parse_date),
            checkboxes: find(c.meeting_times.as_ref(), "columns.meeting_times")?,
            slot_words,
            grid,
            ratings,
            choices,
            goals,
            hours_words: words(&f.values.hours),
            capacity_words: words(&f.values.capacity),
            wanted_words: words(&f.values.mentors_wanted),
            seniority_words: words(&f.values.seniority),
            separator: &f.form.separator,
        })
    }
}

/// The topic and goal columns of the mapping, resolved.
#[allow(clippy::type_complexity)]
fn answer_plans<'m>(
    mapping: &'m SurveyMapping,
    headers: &Headers<'_>,
) -> Result<(Vec<RatingPlan<'m>>, Vec<ChoicePlan<'m>>, Vec<GoalPlan<'m>>), Error> {
    let f = &mapping.file;
    let q = &f.questionnaire;
    let scale = |name: &Option<String>| name.as_ref().map(|n| &mapping.scales[n]);
    let ratings = f
        .ratings
        .iter()
        .enumerate()
        .map(|(k, r)| {
            Ok(RatingPlan {
                column: headers.find(&r.column, &format!("ratings[{k}].column"))?,
                topic: &r.topic,
                field: r.field,
                scale: scale(&r.scale),
            })
        })
        .collect::<Result<_, Error>>()?;
    let choices = f
        .choices
        .iter()
        .enumerate()
        .map(|(k, choice)| {
            let level = match (choice.level, &choice.level_column) {
                (_, Some(column)) => Level::Column(
                    headers.find(column, &format!("choices[{k}].level_column"))?,
                    scale(&choice.level_scale),
                ),
                (level, None) => Level::Fixed(level.unwrap_or(1)),
            };
            let mut options = words(&choice.options);
            for topic in &q.topics {
                if let Some(label) = &topic.label {
                    options.insert(label, topic.id.clone());
                }
                options.insert(&topic.id, topic.id.clone());
            }
            Ok(ChoicePlan {
                column: headers.find(&choice.column, &format!("choices[{k}].column"))?,
                field: choice.field,
                level,
                separator: choice.separator.as_deref().unwrap_or(&f.form.separator),
                prefix: choice.prefix.as_deref(),
                options,
            })
        })
        .collect::<Result<_, Error>>()?;
    let goals = f
        .goals
        .iter()
        .enumerate()
        .map(|(k, g)| {
            Ok(GoalPlan {
                column: headers.find(&g.column, &format!("goals[{k}].column"))?,
                goal: &g.goal,
                scale: scale(&g.scale),
                side: g.side,
            })
        })
        .collect::<Result<_, Error>>()?;

    Ok((ratings, choices, goals))
}

/// One answer row, for reading its cells with errors that name them.
struct Row<'t> {
    /// As a spreadsheet numbers it.
    number: usize,
    cells: &'t [String],
    headers: &'t [String],
}

impl Row<'_> {
    /// The cell's text, `None` when blank.
    fn get(&self, column: usize) -> Option<&str> {
        self.cells
            .get(column)
            .map(String::as_str)
            .filter(|text| !cell::is_blank(text))
    }

    fn bad(&self, column: usize, problem: impl Into<String>) -> Error {
        Error::BadCell {
            at: Location::Cell {
                row: self.number,
                column: cell::collapse(&self.headers[column]),
            },
            letter: cell::column_letter(column),
            value: self.cells.get(column).cloned().unwrap_or_default(),
            problem: problem.into(),
        }
    }

    /// Reads a non-blank cell with `read`; `None` when blank.
    fn read<T>(
        &self,
        column: Option<usize>,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Error> {
        let Some(column) = column else {
            return Ok(None);
        };
        match self.get(column) {
            None => Ok(None),
            Some(text) => read(text).map(Some).map_err(|p| self.bad(column, p)),
        }
    }
}

/// A respondent's id as the cohort holds it: trimmed and lower-cased.
fn identity(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Turns an export into a cohort; see [`SurveyMapping::import`].
pub(crate) fn import(mapping: &SurveyMapping, table: &SurveyTable) -> Result<Cohort, Error> {
    let headers = Headers {
        written: table.headers(),
        keys: table.headers().iter().map(|h| cell::normalise(h)).collect(),
    };
    let plan = Plan::new(mapping, &headers)?;
    let rows: Vec<Row<'_>> = table
        .rows()
        .iter()
        .enumerate()
        .map(|(k, cells)| Row {
            number: k + 2,
            cells,
            headers: table.headers(),
        })
        .filter(|row| row.cells.iter().any(|c| !cell::is_blank(c)))
        .collect();

    // Who answered, and which of their rows counts.
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<(String, usize)> = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let id = row
            .get(plan.id)
            .map(identity)
            .ok_or_else(|| row.bad(plan.id, "the id is blank"))?;
        if let Some(&earlier) = first.get(&id) {
            if mapping.file.form.duplicates == Duplicates::Error {
                return Err(Error::DuplicateRespondent {
                    at: Location::Row(row.number),
                    id,
                    first_row: rows[earlier].number,
                });
            }
            kept.retain(|(other, _)| *other != id);
        } else {
            first.insert(id.clone(), k);
        }
        kept.push((id, k));
    }
    let ids: HashSet<&str> = kept.iter().map(|(id, _)| id.as_str()).collect();

    let f = &mapping.file;
    let mut builder = Cohort::builder();
    if let Some(name) = &f.name {
        builder = builder.name(name.clone());
    }
    for topic in &f.questionnaire.topics {
        builder = match &topic.label {
            Some(label) => builder.topic(topic.id.clone(), label.clone()),
            None => builder.topic_without_label(topic.id.clone()),
        };
    }
    for goal in &f.questionnaire.goals {
        builder = match &goal.label {
            Some(label) => builder.goal(goal.id.clone(), label.clone()),
            None => builder.goal_without_label(goal.id.clone()),
        };
    }
    for slot in &f.questionnaire.slots {
        builder = match &slot.label {
            Some(label) => builder.slot(
                slot.id.clone(),
                label.clone(),
                slot.day,
                slot.start,
                slot.end,
            ),
            None => builder.slot_without_label(slot.id.clone(), slot.day, slot.start, slot.end),
        };
    }
    for (id, k) in &kept {
        builder = builder.participant(respondent(&plan, &rows[*k], id, &ids)?);
    }
    if let Some(rules) = &f.rules {
        builder = builder.rules(*rules);
    }
    if let Some(weights) = &f.weights {
        builder = builder.weights(*weights);
    }
    if let Some(objective) = f.objective {
        builder = builder.objective(objective);
    }
    builder.build()
}

/// Whether a respondent of `role` fills the block of `side`.
fn fills(role: Role, side: Side) -> bool {
    match side {
        Side::Mentor => role.mentors(),
        Side::Mentee => role.is_mentored(),
    }
}

/// One respondent's answers.
#[allow(clippy::too_many_lines)] // one field after another, in the mapping's order
fn respondent(
    plan: &Plan<'_>,
    row: &Row<'_>,
    id: &str,
    ids: &HashSet<&str>,
) -> Result<Answers, Error> {
    let role = match row.get(plan.role) {
        Some(text) => plan
            .roles
            .get(text)
            .ok_or_else(|| row.bad(plan.role, format!("expected one of {}", plan.roles.list())))?,
        None => return Err(row.bad(plan.role, "the role is blank")),
    };
    // A cell of the other side's block must be blank: the form shows each
    // respondent only their own block, so an answer there is a mistake.
    let side_check = |column: usize, side: Side| -> Result<(), Error> {
        if !fills(role, side) && row.get(column).is_some() {
            return Err(row.bad(
                column,
                format!(
                    "the respondent's role is {:?}, but this column is in the {} block; leave it blank or change the role",
                    role.as_str(),
                    side.name()
                ),
            ));
        }
        Ok(())
    };

    let mut answers = Answers::new(id, role).at(Location::Row(row.number));
    if let Some(name) = row.read(plan.name, |t| Ok(t.trim().to_owned()))? {
        answers = answers.name(name);
    }
    if let Some(team) = row.read(plan.team, |t| Ok(cell::collapse(t)))? {
        answers = answers.team(team);
    }
    let reference = |text: &str| -> Result<String, String> {
        let other = identity(text);
        if other == id {
            Err("names the respondent themself".into())
        } else if ids.contains(other.as_str()) {
            Ok(other)
        } else {
            Err(format!(
                "{other:?} is the id of nobody who answered the form"
            ))
        }
    };
    if let Some(manager) = row.read(plan.manager, reference)? {
        answers = answers.manager(manager);
    }
    let list = |text: &str| -> Result<Vec<String>, String> {
        cell::items(text, plan.separator)
            .iter()
            .map(|item| reference(item))
            .collect()
    };
    for other in row.read(plan.prefers, list)?.unwrap_or_default() {
        answers = answers.prefers(other);
    }
    for other in row.read(plan.avoids, list)?.unwrap_or_default() {
        answers = answers.avoids(other);
    }
    if let Some(seniority) = row.read(plan.seniority, |t| {
        cell::word_or_number(t, &plan.seniority_words, cell::integer, "an integer")
    })? {
        answers = answers.seniority(seniority);
    }
    if let Some(hours) = row.read(plan.hours, |t| {
        cell::word_or_number(
            t,
            &plan.hours_words,
            |t| cell::number(t).filter(|h| *h > 0.0),
            "a number of hours > 0",
        )
    })? {
        answers = answers.hours_per_month(hours);
    }
    if let Some(column) = plan.capacity {
        side_check(column, Side::Mentor)?;
    }
    if let Some(capacity) = row.read(plan.capacity, |t| {
        cell::word_or_number(
            t,
            &plan.capacity_words,
            |t| cell::integer(t).and_then(|n| u64::try_from(n).ok()),
            "an integer >= 0",
        )
    })? {
        answers = answers.capacity(capacity);
    }
    if let Some(column) = plan.mentors_wanted {
        side_check(column, Side::Mentee)?;
    }
    if let Some(wanted) = row.read(plan.mentors_wanted, |t| {
        cell::word_or_number(
            t,
            &plan.wanted_words,
            |t| {
                cell::integer(t)
                    .and_then(|n| u64::try_from(n).ok())
                    .filter(|&n| n >= 1)
            },
            "an integer >= 1",
        )
    })? {
        answers = answers.mentors_wanted(wanted);
    }
    let languages = row.read(plan.languages, |t| {
        if plan.language_words.is_empty() {
            Ok(cell::items(t, plan.separator)
                .iter()
                .map(|l| cell::normalise(l))
                .collect())
        } else {
            cell::options(t, plan.separator, None, &plan.language_words)
        }
    })?;
    for language in languages.unwrap_or_default() {
        answers = answers.language(language);
    }
    if let Some(offset) = row.read(plan.time_zone, |t| {
        let zone = plan.zone_words.get(t).unwrap_or_else(|| t.to_owned());
        cell::utc_offset(&zone, plan.date)
    })? {
        answers = answers.utc_offset(offset);
    }
    let slots = row.read(plan.checkboxes, |t| {
        cell::options(t, plan.separator, None, &plan.slot_words)
    })?;
    for slot in slots.unwrap_or_default() {
        answers = answers.slot(slot);
    }
    for (column, words) in &plan.grid {
        let slots = row.read(Some(*column), |t| {
            cell::options(t, plan.separator, None, words)
        })?;
        for slot in slots.unwrap_or_default() {
            answers = answers.slot(slot);
        }
    }

    // Topic and goal answers; one answered in two columns counts with the
    // higher answer (a `both` respondent answers the goals in each block).
    let mut topics: BTreeMap<(&'static str, String), i64> = BTreeMap::new();
    let mut give = |field: TopicField, topic: &str, answer: i64| {
        if answer > 0 {
            let entry = topics
                .entry((field.name(), topic.to_owned()))
                .or_insert(answer);
            *entry = (*entry).max(answer);
        }
    };
    for rating in &plan.ratings {
        side_check(rating.column, rating.field.side())?;
        if let Some(answer) = row.read(Some(rating.column), |t| cell::rating(t, rating.scale))? {
            give(rating.field, rating.topic, answer);
        }
    }
    for choice in &plan.choices {
        side_check(choice.column, choice.field.side())?;
        let (level, level_column) = match choice.level {
            Level::Fixed(level) => (Some(level), None),
            Level::Column(column, scale) => {
                side_check(column, choice.field.side())?;
                (
                    row.read(Some(column), |t| cell::rating(t, scale))?,
                    Some(column),
                )
            }
        };
        let listed = row.read(Some(choice.column), |t| {
            cell::options(t, choice.separator, choice.prefix, &choice.options)
        })?;
        match (listed, level, level_column) {
            (Some(listed), Some(level), _) => {
                for topic in listed {
                    give(choice.field, &topic, level);
                }
            }
            (Some(_), None, Some(column)) => {
                return Err(row.bad(
                    column,
                    format!(
                        "the level is blank, but column {} lists topics",
                        cell::column_letter(choice.column)
                    ),
                ));
            }
            _ => {}
        }
    }
    for ((field, topic), answer) in topics {
        answers = match field {
            "offers" => answers.offers(topic, answer),
            "seeks" => answers.seeks(topic, answer),
            _ => answers.level(topic, answer),
        };
    }
    let mut goals: BTreeMap<&str, i64> = BTreeMap::new();
    for goal in &plan.goals {
        if let Some(side) = goal.side {
            side_check(goal.column, side)?;
        }
        if let Some(answer) = row.read(Some(goal.column), |t| cell::rating(t, goal.scale))?
            && answer > 0
        {
            let entry = goals.entry(goal.goal).or_insert(answer);
            *entry = (*entry).max(answer);
        }
    }
    for (goal, answer) in goals {
        answers = answers.goal(goal, answer);
    }
    Ok(answers)
}
