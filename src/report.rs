//! The HTML report of a matching: one self-contained page for organisers.

use std::fmt::Write as _;

use crate::{Cohort, Matching, Pair, Participant, Reason, Rule, Unmatched};

/// The bins of the score histogram, over [0, 1].
const BINS: usize = 10;

/// A colour per score component, in score order.
const COLOURS: [&str; 5] = ["#3e6fb0", "#e07b39", "#4d9a5b", "#c8475d", "#6b8fa3"];

/// The page's style sheet: system fonts only, nothing fetched.
const STYLE: &str = r#"
:root { --ink: #1d2630; --muted: #5f6b78; --line: #e3e7ec; --page: #f4f6f9;
  --card: #ffffff; --accent: #3e6fb0; --soft: #eaf0f8; --warn: #a4452c; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
    "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 27px; line-height: 1.2; margin: 0 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 0 0 14px; }
.subtitle { color: var(--muted); margin: 0 0 24px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr));
  gap: 14px; margin: 0 0 22px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 18px; margin: 0; }
.card dt { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: 0.05em; }
.card dd { margin: 4px 0 0; font-size: 30px; font-weight: 650;
  font-variant-numeric: tabular-nums; }
.card .note { display: block; color: var(--muted); font-size: 13px; font-weight: 400; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 18px 22px; margin: 0 0 22px; }
.panel > p { color: var(--muted); margin: -8px 0 12px; font-size: 14px; }
.histogram { width: 100%; height: auto; display: block; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; color: var(--muted); font-size: 12px; font-weight: 600;
  text-transform: uppercase; letter-spacing: 0.05em; padding: 6px 10px;
  border-bottom: 2px solid var(--line); }
td { padding: 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr.pair:last-child td { border-bottom: none; }
td.mentee { border-right: 1px solid var(--line); }
table.pairs { table-layout: fixed; }
col.w-person { width: 13%; }
col.w-score { width: 8%; }
col.w-bars { width: 246px; }
col.w-topics { width: 16%; }
.name { display: block; font-weight: 600; overflow-wrap: break-word; }
.id { display: block; color: var(--muted); font-size: 12px; overflow-wrap: break-word;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.wanted { display: inline-block; margin-top: 4px; font-size: 12px; color: var(--muted); }
.score { font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.chip { display: inline-block; background: var(--soft); color: #234a7d;
  border-radius: 11px; padding: 1px 10px; margin: 0 4px 4px 0; font-size: 13px;
  overflow-wrap: break-word; max-width: 100%; }
.chip.rule { background: #fbeee9; color: var(--warn); }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px;
  font-weight: 600; background: #fff4d6; color: #7a5a00; margin-top: 4px; }
.why { color: var(--ink); font-size: 14px; margin: 0; padding-left: 18px; }
.why li { margin: 0 0 2px; }
.why .broken { color: var(--warn); }
svg.bars { display: block; }
.none { color: var(--muted); }
footer { color: var(--muted); font-size: 13px; margin-top: 8px; }
"#;

/// Writes the HTML report of `matching`, a matching of `cohort`: one
/// self-contained page (inline style and SVG, no scripts, nothing fetched).
///
/// The page holds a summary (matched share, mean and lowest score, topic
/// coverage of what the mentees want), a histogram of the pair scores, every
/// pair with a bar per score component, its topics and why it was formed (a
/// mentee's several pairs grouped), and the unmatched mentees with the reason.
/// Every string from the cohort (names, ids, labels) is escaped, so a name
/// such as `<script>` shows as text. Time: linear in the size of the matching
/// and of the participants' answers.
///
/// ```
/// use mentor_match::{Cohort, html_report};
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
///   "participants": [
///     {"id": "ana", "name": "Ana <lead>", "role": "mentor", "offers": {"rust": 5}},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}}]}"#.parse()?;
/// let page = html_report(&cohort, &cohort.matcher().solve()?);
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("Ana &lt;lead&gt;"));
/// assert!(!page.contains("<script"));
/// # Ok::<(), mentor_match::Error>(())
/// ```
pub fn html_report(cohort: &Cohort, matching: &Matching) -> String {
    let title = cohort.name().unwrap_or("Mentoring pairs");
    let mut page = String::with_capacity(4096 + 2048 * matching.pairs().len());
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(page, "<title>{}</title>", escape(title));
    let _ = writeln!(page, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(page, "<header>\n<h1 id=\"title\">{}</h1>", escape(title));
    let _ = writeln!(
        page,
        "<p class=\"subtitle\">{} mentors, {} mentees · objective <b>{}</b></p>\n</header>",
        cohort.mentors().len(),
        cohort.mentees().len(),
        matching.objective()
    );
    summary(&mut page, cohort, matching);
    histogram(&mut page, matching);
    pairs(&mut page, cohort, matching);
    unmatched(&mut page, cohort, matching);
    short(&mut page, cohort, matching);
    quality(&mut page, matching);
    page.push_str(
        "<footer>Scores and components are in [0, 1]. Topic coverage: the share of \
         what a mentee wants to learn (by priority) that their mentor knows beyond \
         the mentee's level, averaged over the pairs.</footer>\n</main>\n</body>\n</html>\n",
    );
    page
}

/// Mean topic coverage of the pairs ([`crate::topic_coverage`] of each),
/// computed from the pairs shown rather than read from the matching's
/// quality, so an edited result shows what it holds. `None` without pairs.
/// Pairs naming someone outside `cohort` are left out.
fn topic_coverage(cohort: &Cohort, matching: &Matching) -> Option<f64> {
    let coverage = |pair: &Pair| -> Option<f64> {
        let mentor = cohort.participant(pair.mentor())?;
        let mentee = cohort.participant(pair.mentee())?;
        crate::topic_coverage(mentor, mentee)
    };
    let shares: Vec<f64> = matching.pairs().iter().filter_map(coverage).collect();
    (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64)
}

fn summary(page: &mut String, cohort: &Cohort, matching: &Matching) {
    let mentees = cohort.mentees().len();
    let pairs = matching.pairs().len();
    let share = (mentees > 0).then(|| matching.matched() as f64 / mentees as f64);
    let mean = (pairs > 0).then(|| matching.total_score() / pairs as f64);
    let card = |page: &mut String, key: &str, label: &str, value: Option<String>, note: String| {
        let _ = writeln!(
            page,
            "<div class=\"card\"><dt>{label}</dt><dd id=\"{key}\">{}<span class=\"note\">{note}</span></dd></div>",
            value.unwrap_or_else(|| "–".to_owned()),
        );
    };
    page.push_str("<dl class=\"cards\" id=\"summary\">\n");
    card(
        page,
        "matched-share",
        "Matched",
        share.map(percent),
        format!("{} of {mentees} mentees", matching.matched()),
    );
    card(
        page,
        "mean-score",
        "Mean score",
        mean.map(|s| format!("{s:.3}")),
        format!("over {pairs} pair{}", plural(pairs)),
    );
    card(
        page,
        "min-score",
        "Lowest score",
        matching.min_score().map(|s| format!("{s:.3}")),
        "the weakest pair".to_owned(),
    );
    card(
        page,
        "topic-coverage",
        "Topic coverage",
        topic_coverage(cohort, matching).map(percent),
        "of wanted topics, by priority".to_owned(),
    );
    page.push_str("</dl>\n");
}

/// The score histogram: ten bins over [0, 1] (a score of 1 in the last).
fn histogram(page: &mut String, matching: &Matching) {
    let mut counts = [0usize; BINS];
    for pair in matching.pairs() {
        // Scores are in [0, 1]; the cast saturates anything else into a bin.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bin = ((pair.score() * BINS as f64).floor() as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, base, left) = (1000.0, 230.0, 190.0, 20.0);
    let step = (width - 2.0 * left) / BINS as f64;
    page.push_str("<section class=\"panel\" id=\"histogram\">\n<h2>Score distribution</h2>\n");
    page.push_str("<p>Number of pairs per score band.</p>\n");
    let _ = writeln!(
        page,
        "<svg class=\"histogram\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-label=\"Histogram of pair scores\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let _ = writeln!(
        page,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#c5ccd5\"/>",
        width - left
    );
    for (bin, &count) in counts.iter().enumerate() {
        let x = left + step * bin as f64;
        let bar = (base - 30.0) * count as f64 / most as f64;
        let low = bin as f64 / BINS as f64;
        let high = (bin + 1) as f64 / BINS as f64;
        if count > 0 {
            let _ = writeln!(
                page,
                "<rect class=\"bin\" data-count=\"{count}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
                 height=\"{bar:.1}\" rx=\"3\" fill=\"#3e6fb0\"><title>{count} pair{} scoring \
                 {low:.1}–{high:.1}</title></rect>",
                x + 6.0,
                base - bar,
                step - 12.0,
                plural(count),
            );
            let _ = writeln!(
                page,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"16\" \
                 font-weight=\"600\" fill=\"#1d2630\">{count}</text>",
                x + step / 2.0,
                base - bar - 8.0
            );
        }
        let _ = writeln!(
            page,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"14\" \
             fill=\"#5f6b78\">{low:.1}–{high:.1}</text>",
            x + step / 2.0,
            base + 24.0
        );
    }
    page.push_str("</svg>\n</section>\n");
}

/// One bar per score component, labelled, as an inline SVG.
fn component_bars(page: &mut String, pair: &Pair) {
    let (label_width, bar_width, row) = (76.0, 112.0, 15.0);
    let count = pair.breakdown().iter().len();
    let _ = write!(
        page,
        "<svg class=\"bars\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" \
         aria-label=\"Score components\" xmlns=\"http://www.w3.org/2000/svg\">",
        label_width + bar_width + 36.0,
        row * count as f64,
        label_width + bar_width + 36.0,
        row * count as f64,
    );
    for (k, (component, value)) in pair.breakdown().iter().enumerate() {
        let y = row * k as f64;
        let colour = COLOURS[component as usize % COLOURS.len()];
        let _ = write!(
            page,
            "<g class=\"component\" data-component=\"{component}\"><title>{component} {value:.3}</title>\
             <text x=\"0\" y=\"{:.1}\" font-size=\"11\" fill=\"#5f6b78\">{component}</text>\
             <rect x=\"{label_width}\" y=\"{:.1}\" width=\"{bar_width}\" height=\"9\" rx=\"2\" fill=\"#edf0f4\"/>\
             <rect x=\"{label_width}\" y=\"{:.1}\" width=\"{:.1}\" height=\"9\" rx=\"2\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1d2630\">{value:.2}</text></g>",
            y + 11.0,
            y + 3.0,
            y + 3.0,
            bar_width * value.clamp(0.0, 1.0),
            label_width + bar_width + 6.0,
            y + 11.0,
        );
    }
    page.push_str("</svg>");
}

fn pairs(page: &mut String, cohort: &Cohort, matching: &Matching) {
    page.push_str("<section class=\"panel\" id=\"pairs\">\n<h2>Pairs</h2>\n");
    if matching.pairs().is_empty() {
        page.push_str("<p class=\"none\">No pairs.</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<table class=\"pairs\">\n<colgroup><col class=\"w-person\"><col class=\"w-person\"><col class=\"w-score\">\
         <col class=\"w-bars\"><col class=\"w-topics\"><col></colgroup>\n\
         <thead><tr><th>Mentee</th><th>Mentor</th><th>Score</th>\
         <th>Components</th><th>Topics</th><th>Why</th></tr></thead>\n<tbody>\n",
    );
    // Pairs come in mentee order, a mentee's several pairs together.
    let all = matching.pairs();
    let mut start = 0;
    while start < all.len() {
        let mentee = all[start].mentee();
        let end = start
            + all[start..]
                .iter()
                .take_while(|pair| pair.mentee() == mentee)
                .count();
        for (k, pair) in all[start..end].iter().enumerate() {
            let _ = write!(
                page,
                "<tr class=\"pair\" data-mentee=\"{}\" data-mentor=\"{}\">",
                escape(pair.mentee()),
                escape(pair.mentor())
            );
            if k == 0 {
                let group = end - start;
                let _ = write!(page, "<td class=\"mentee\" rowspan=\"{group}\">");
                person(page, cohort, mentee);
                let wanted = cohort
                    .participant(mentee)
                    .map_or(1, Participant::mentors_wanted);
                if group > 1 || wanted > 1 {
                    let _ = write!(
                        page,
                        "<span class=\"wanted\">{group} mentor{} of {wanted} wanted</span>",
                        plural(group)
                    );
                }
                page.push_str("</td>");
            }
            page.push_str("<td>");
            person(page, cohort, pair.mentor());
            page.push_str("</td>");
            let _ = write!(page, "<td class=\"score\">{:.3}", pair.score());
            if pair.is_pinned() {
                page.push_str("<br><span class=\"badge\">pinned</span>");
            }
            page.push_str("</td><td>");
            component_bars(page, pair);
            page.push_str("</td><td class=\"topics\">");
            topics(page, cohort, pair);
            page.push_str("</td><td>");
            why(page, cohort, pair);
            page.push_str("</td></tr>\n");
        }
        start = end;
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

/// A participant's name (their id when they have none) and, below, the id.
fn person(page: &mut String, cohort: &Cohort, id: &str) {
    let name = cohort.participant(id).and_then(Participant::name);
    match name {
        Some(name) if name != id => {
            let _ = write!(
                page,
                "<span class=\"name\">{}</span><span class=\"id\">{}</span>",
                escape(name),
                escape(id)
            );
        }
        _ => {
            let _ = write!(page, "<span class=\"name\">{}</span>", escape(id));
        }
    }
}

/// The pair's topics as labels, the largest contribution first, each with
/// the answers behind it.
fn topics(page: &mut String, cohort: &Cohort, pair: &Pair) {
    if pair.topics().is_empty() {
        page.push_str("<span class=\"none\">no topic overlap</span>");
        return;
    }
    let mentor = cohort.participant(pair.mentor());
    let mentee = cohort.participant(pair.mentee());
    for topic in pair.topics() {
        let index = cohort.topics().iter().position(|t| t.id() == topic);
        let label = index.map_or(topic.as_str(), |t| cohort.topics()[t].label());
        let answer = |answers: Option<&[(usize, u8)]>| {
            answers
                .and_then(|a| a.iter().find(|&&(t, _)| Some(t) == index))
                .map_or(0, |&(_, value)| value)
        };
        let _ = write!(
            page,
            "<span class=\"chip\" title=\"expertise {}/5, level {}/5, priority {}/5\">{}</span>",
            answer(mentor.map(Participant::offers)),
            answer(mentee.map(Participant::level)),
            answer(mentee.map(Participant::seeks)),
            escape(label)
        );
    }
}

/// Why the pair was formed, in a few words per component.
fn why(page: &mut String, cohort: &Cohort, pair: &Pair) {
    let parts = pair.breakdown();
    let mut reasons: Vec<String> = Vec::new();
    // The numbers are in the bars beside: words only here.
    reasons.push(format!("{} skills match", strength(parts.skills())));
    if !cohort.goals().is_empty() {
        reasons.push(
            match parts.goals() {
                g if g >= 0.8 => "closely shared goals",
                g if g >= 0.5 => "partly shared goals",
                g if g > 0.0 => "few shared goals",
                _ => "no shared goals",
            }
            .to_owned(),
        );
    }
    reasons.push(
        if parts.availability() >= 0.75 {
            "similar hours per month"
        } else {
            "different hours per month"
        }
        .to_owned(),
    );
    if !cohort.slots().is_empty() {
        reasons.push(
            match parts.schedule() {
                t if t >= 0.5 => "much meeting time in common",
                t if t > 0.0 => "some meeting time in common",
                _ => "no meeting time in common",
            }
            .to_owned(),
        );
    }
    let prefers = |who: &str, other: &str| {
        let other = cohort.index_of(other);
        cohort
            .participant(who)
            .is_some_and(|p| other.is_some_and(|o| p.prefers().contains(&o)))
    };
    match (
        prefers(pair.mentee(), pair.mentor()),
        prefers(pair.mentor(), pair.mentee()),
    ) {
        (true, true) => reasons.push("each asked for the other".to_owned()),
        (true, false) => reasons.push("the mentee asked for this mentor".to_owned()),
        (false, true) => reasons.push("the mentor asked for this mentee".to_owned()),
        (false, false) => {}
    }
    if pair.is_pinned() {
        reasons.push("pinned by an organiser".to_owned());
    }
    page.push_str("<ul class=\"why\">");
    for reason in reasons {
        let _ = write!(page, "<li>{}</li>", escape(&reason));
    }
    for rule in pair.broken_rules() {
        let _ = write!(
            page,
            "<li class=\"broken\">breaks <code>{}</code>: {}</li>",
            rule.name(),
            rule_words(*rule)
        );
    }
    page.push_str("</ul>");
}

fn strength(value: f64) -> &'static str {
    match value {
        v if v >= 0.75 => "strong",
        v if v >= 0.4 => "good",
        v if v > 0.0 => "partial",
        _ => "no",
    }
}

fn unmatched(page: &mut String, cohort: &Cohort, matching: &Matching) {
    page.push_str("<section class=\"panel\" id=\"unmatched\">\n<h2>Unmatched mentees</h2>\n");
    if matching.unmatched().is_empty() {
        page.push_str("<p class=\"none\">Every mentee has a mentor.</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<table>\n<thead><tr><th>Mentee</th><th>Why</th><th>Mentors ruled out, by the first rule \
         each breaks</th></tr></thead>\n<tbody>\n",
    );
    for entry in matching.unmatched() {
        let _ = write!(
            page,
            "<tr class=\"unmatched\" data-mentee=\"{}\" data-reason=\"{}\"><td>",
            escape(entry.mentee()),
            entry.reason().name()
        );
        person(page, cohort, entry.mentee());
        let _ = write!(page, "</td><td>{}</td><td>", reason_words(entry));
        if entry.ruled_out().is_empty() {
            page.push_str("<span class=\"none\">–</span>");
        }
        for &(rule, count) in entry.ruled_out() {
            let _ = write!(
                page,
                "<span class=\"chip rule\" data-rule=\"{}\" data-count=\"{count}\" \
                 title=\"{}\">{} × {count}</span>",
                rule.name(),
                rule_words(rule),
                rule.name()
            );
        }
        page.push_str("</td></tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

/// The matched mentees with fewer mentors than they wanted.
fn short(page: &mut String, cohort: &Cohort, matching: &Matching) {
    if matching.short().is_empty() {
        return;
    }
    page.push_str(
        "<section class=\"panel\" id=\"short\">\n<h2>Mentees with fewer mentors than wanted</h2>\n\
         <table>\n<thead><tr><th>Mentee</th><th>Mentors</th></tr></thead>\n<tbody>\n",
    );
    for entry in matching.short() {
        let _ = write!(
            page,
            "<tr class=\"short\" data-mentee=\"{}\"><td>",
            escape(entry.mentee())
        );
        person(page, cohort, entry.mentee());
        let _ = writeln!(
            page,
            "</td><td>{} of {} wanted</td></tr>",
            entry.got(),
            entry.wanted()
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

/// The quality metrics of the matching (specification, quality metrics), as
/// the matcher measured them.
fn quality(page: &mut String, matching: &Matching) {
    let q = matching.quality();
    let share = |value: Option<f64>| value.map_or_else(|| "–".to_owned(), percent);
    let score = |value: Option<f64>| value.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
    let quartiles = q.score_quartiles().map_or_else(
        || "–".to_owned(),
        |[q1, q2, q3]| format!("{q1:.3} / {q2:.3} / {q3:.3}"),
    );
    let _ = writeln!(
        page,
        "<section class=\"panel\" id=\"quality\">\n<h2>Quality</h2>\n\
         <p>Method <b>{}</b>. A blocking pair is a mentor and a mentee, not paired, who \
         would both rather be together (by score) than with a partner they have.</p>",
        matching.method()
    );
    page.push_str("<table>\n<tbody>\n");
    let rows = [
        ("matched-share", "Matched mentees", share(q.matched_share())),
        ("places-used", "Mentor places used", share(q.places_used())),
        ("mean", "Mean score", score(q.mean_score())),
        ("quartiles", "Score quartiles (q1 / median / q3)", quartiles),
        ("coverage", "Topic coverage", share(q.topic_coverage())),
        ("goals", "Goal alignment", score(q.goal_alignment())),
        (
            "preferred",
            "Preferred mentor, where one was named",
            share(q.preferred_share()),
        ),
        ("blocking", "Blocking pairs", q.blocking_pairs().to_string()),
    ];
    for (key, label, value) in rows {
        let _ = writeln!(
            page,
            "<tr class=\"metric\" data-metric=\"{key}\"><td>{label}</td><td class=\"score\">{value}</td></tr>"
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn reason_words(entry: &Unmatched) -> &'static str {
    match entry.reason() {
        Reason::NoFeasibleMentor => "No mentor is allowed for this mentee under the rules.",
        Reason::Capacity => "Every mentor allowed for this mentee was needed elsewhere.",
        Reason::NotInTopK => {
            "Not placed among this mentee's best candidate mentors; a larger candidate list might match them."
        }
    }
}

/// What breaking `rule` means, in words.
fn rule_words(rule: Rule) -> &'static str {
    match rule {
        Rule::SelfPair => "the same person",
        Rule::Avoids => "one asked to avoid the other",
        Rule::ForbidRepeat => "paired in an earlier round",
        Rule::ForbidManager => "one manages the other",
        Rule::ForbidSameTeam => "in the same team",
        Rule::RequireSharedLanguage => "no language in common",
        Rule::MinCommonHours => "too little weekly meeting time in common",
        Rule::RequireTopicOverlap => "nothing the mentee wants that the mentor can teach",
        Rule::RequireSeniorMentor => "the mentor is less senior",
        Rule::MinScore => "the score is below the minimum",
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// `text` for HTML text or a quoted attribute value: `&`, `<`, `>`, `"` and
/// `'` as character references, control characters written as their Rust
/// escapes (`\n`), so nothing a participant wrote can open markup.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c if c.is_control() => escaped.extend(c.escape_debug()),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Component;

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escape("a\nb\u{0}"), "a\\nb\\0");
        assert_eq!(escape("Åsa 🙂"), "Åsa 🙂");
    }

    #[test]
    fn every_component_has_a_colour() {
        assert!(Component::all().all(|c| (c as usize) < COLOURS.len()));
    }
}
