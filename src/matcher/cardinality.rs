//! Maximum-cardinality matching with column capacities, for the fairness
//! objective's threshold search.

use std::collections::VecDeque;

use ndarray::Array2;

/// Size of a largest matching of rows to columns using entries `>= threshold`,
/// where each row takes at most one column and column `c` at most
/// `capacity[c]` rows.
///
/// Greedy start, then one breadth-first augmenting-path search per row still
/// free: `O(rows · (rows + entries))` in the worst case.
pub(crate) fn max_cardinality(scores: &Array2<f64>, capacity: &[usize], threshold: f64) -> usize {
    let (rows, columns) = scores.dim();
    let allowed = |row: usize, column: usize| scores[(row, column)] >= threshold;
    let mut column_of: Vec<Option<usize>> = vec![None; rows];
    let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); columns];
    let mut matched = 0;

    for (row, slot) in column_of.iter_mut().enumerate() {
        if let Some(column) =
            (0..columns).find(|&c| rows_of[c].len() < capacity[c] && allowed(row, c))
        {
            *slot = Some(column);
            rows_of[column].push(row);
            matched += 1;
        }
    }

    // Marks of the last searches. A search that fails leaves the matching as
    // it was, so what it reached stays a dead end for the next search too:
    // the marks are cleared only after an augmentation. A row whose search
    // fails can never be matched later (Berge), so it is not searched again.
    let mut came_from: Vec<Option<usize>> = vec![None; columns];
    let mut seen_row = vec![false; rows];
    let mut queue = VecDeque::new();
    for start in 0..rows {
        if column_of[start].is_some() || seen_row[start] {
            continue;
        }
        queue.clear();
        queue.push_back(start);
        seen_row[start] = true;
        let mut end = None;
        'search: while let Some(row) = queue.pop_front() {
            for column in 0..columns {
                if came_from[column].is_some() || capacity[column] == 0 || !allowed(row, column) {
                    continue;
                }
                came_from[column] = Some(row);
                if rows_of[column].len() < capacity[column] {
                    end = Some(column);
                    break 'search;
                }
                for &next in &rows_of[column] {
                    if !seen_row[next] {
                        seen_row[next] = true;
                        queue.push_back(next);
                    }
                }
            }
        }
        let Some(end) = end else { continue };
        // Shift every row along the path one column on.
        let mut column = Some(end);
        while let Some(c) = column {
            let row = came_from[c].expect("every column on the path was reached from a row");
            let previous = column_of[row];
            if let Some(p) = previous {
                let at = rows_of[p]
                    .iter()
                    .position(|&r| r == row)
                    .expect("row is listed under its column");
                rows_of[p].swap_remove(at);
            }
            column_of[row] = Some(c);
            rows_of[c].push(row);
            column = if row == start { None } else { previous };
        }
        matched += 1;
        came_from.fill(None);
        seen_row.fill(false);
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn augmenting_paths_move_earlier_rows() {
        // Greedy gives row 0 column 0; row 1 can only use column 0, so row 0
        // must move to column 1.
        let scores = array![[1.0, 1.0], [1.0, f64::NEG_INFINITY]];
        assert_eq!(max_cardinality(&scores, &[1, 1], 0.0), 2);
    }

    #[test]
    fn capacities_and_thresholds_limit_the_matching() {
        let scores = array![[0.9, 0.2], [0.8, 0.1], [0.7, 0.6]];
        assert_eq!(max_cardinality(&scores, &[2, 1], 0.0), 3);
        assert_eq!(max_cardinality(&scores, &[1, 1], 0.0), 2);
        assert_eq!(max_cardinality(&scores, &[3, 3], 0.75), 2);
        assert_eq!(max_cardinality(&scores, &[0, 3], 0.5), 1);
    }
}
