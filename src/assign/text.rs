//! Matrices as text: OR-Library assignment files and CSV.
