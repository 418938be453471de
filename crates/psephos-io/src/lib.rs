//! Ballot file readers.
