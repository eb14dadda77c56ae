#!/usr/bin/env python3
"""A second, deliberately plain implementation of the specification's scores,
rules and objectives, with an exhaustive search for the optimum.

It is how the known answers in `tests/known_answers.rs` were obtained:

    python3 tests/reference/brute_force.py examples/data/design-pilot.json

It reads only the fields the sample cohorts use, assumes the file is valid,
and enumerates every matching, so it is for small cohorts only (standard
library only, no checks).
"""
import itertools
import json
import math
import sys

RULES = ["self", "avoids", "forbid_repeat", "forbid_manager", "forbid_same_team",
         "require_shared_language", "require_topic_overlap", "require_senior_mentor", "min_score"]


def main(path):
    cohort = json.load(open(path))
    topics = [t["id"] for t in cohort["questionnaire"]["topics"]]
    goals = [g["id"] for g in cohort["questionnaire"].get("goals") or []]
    people = cohort["participants"]
    mentors = [p for p in people if p["role"] in ("mentor", "both")]
    mentees = [p for p in people if p["role"] in ("mentee", "both")]
    rules = {"forbid_repeat": True, "forbid_manager": True, "forbid_same_team": False,
             "require_shared_language": True, "require_topic_overlap": True,
             "require_senior_mentor": False, "min_score": 0.0}
    rules.update(cohort.get("rules") or {})
    weights = {"skills": 0.5, "goals": 0.3, "availability": 0.1, "preference": 0.1}
    weights.update(cohort.get("weights") or {})
    history = {(h["mentor"], h["mentee"]) for h in cohort.get("history") or []}

    def vec(answers, ids):
        answers = answers or {}
        return [answers.get(i, 0) / 5 for i in ids]

    def score(m, e):
        ex, s, c = vec(m.get("offers"), topics), vec(e.get("seeks"), topics), vec(e.get("level"), topics)
        skills = sum(s[t] * max(0.0, ex[t] - c[t]) for t in range(len(topics))) / sum(s)
        gm, ge = vec(m.get("goals"), goals), vec(e.get("goals"), goals)
        nm, ne = math.sqrt(sum(x * x for x in gm)), math.sqrt(sum(x * x for x in ge))
        goal = 0.0 if nm == 0 or ne == 0 else min(1.0, max(0.0, sum(a * b for a, b in zip(gm, ge)) / (nm * ne)))
        hm, he = m.get("hours_per_month"), e.get("hours_per_month")
        avail = min(hm, he) / max(hm, he) if hm and he else 1.0
        pref = 0.5 * (m["id"] in (e.get("prefers") or [])) + 0.5 * (e["id"] in (m.get("prefers") or []))
        w = weights
        total = (w["skills"] * skills + w["goals"] * goal + w["availability"] * avail
                 + w["preference"] * pref) / (w["skills"] + w["goals"] + w["availability"] + w["preference"])
        return total, skills

    def broken(m, e):
        sc, skills = score(m, e)
        out = []
        if m["id"] == e["id"]:
            out.append("self")
        if e["id"] in (m.get("avoids") or []) or m["id"] in (e.get("avoids") or []):
            out.append("avoids")
        if rules["forbid_repeat"] and (m["id"], e["id"]) in history:
            out.append("forbid_repeat")
        if rules["forbid_manager"] and (m.get("manager") == e["id"] or e.get("manager") == m["id"]):
            out.append("forbid_manager")
        if rules["forbid_same_team"] and m.get("team") and m.get("team") == e.get("team"):
            out.append("forbid_same_team")
        lm, le = set(m.get("languages") or []), set(e.get("languages") or [])
        if rules["require_shared_language"] and lm and le and not (lm & le):
            out.append("require_shared_language")
        if rules["require_topic_overlap"] and skills == 0:
            out.append("require_topic_overlap")
        if (rules["require_senior_mentor"] and m.get("seniority") is not None
                and e.get("seniority") is not None and m["seniority"] < e["seniority"]):
            out.append("require_senior_mentor")
        if sc < rules["min_score"]:
            out.append("min_score")
        return out

    print("scores (rows = mentors, null = infeasible):")
    for m in mentors:
        print(m["id"], [None if broken(m, e) else score(m, e)[0] for e in mentees])

    options = [[None] + [i for i, m in enumerate(mentors) if not broken(m, e)] for e in mentees]
    best = {}
    for choice in itertools.product(*options):
        used = [0] * len(mentors)
        for i in choice:
            if i is not None:
                used[i] += 1
        if any(used[i] > mentors[i].get("capacity", 1) for i in range(len(mentors))):
            continue
        scores = [score(mentors[i], e)[0] for i, e in zip(choice, mentees) if i is not None]
        n, total, low = len(scores), sum(scores), min(scores, default=math.inf)
        keys = {"total": (total,), "coverage": (n, total), "fairness": (n, low, total)}
        for objective, key in keys.items():
            if objective not in best or key > best[objective][0]:
                best[objective] = (key, choice)
    for objective, (key, choice) in best.items():
        print(objective, key)
        for i, e in zip(choice, mentees):
            print("   ", e["id"], "<-", mentors[i]["id"] if i is not None else None)


if __name__ == "__main__":
    main(sys.argv[1])
