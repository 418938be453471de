//! Candidates and their newtype ids.
//!
//! Every candidate in an election gets a dense [`CandidateId`] in the order it
//! was declared; everything that counts votes indexes vectors by that id and
//! never touches names.

use std::fmt;

/// The largest number of candidates one election may hold.
///
/// Ids are stored in 15 bits in the ballot store (the top bit marks an equal
/// ranking), and the highest value marks a rank with no candidate (a skipped
/// rank, or with the top bit an overvote of unnamed candidates), so 32,767
/// candidates is the hard ceiling.
pub const MAX_CANDIDATES: usize = 0x7FFF;

/// A candidate's position in its [`Candidates`] list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct CandidateId(pub u16);

impl CandidateId {
    /// The id as a vector index.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id for a vector index.
    ///
    /// # Panics
    /// When `index` is not below [`MAX_CANDIDATES`]; [`Candidates`] never hands
    /// out such an index.
    #[inline]
    pub fn from_index(index: usize) -> Self {
        assert!(index < MAX_CANDIDATES, "candidate index {index} out of range");
        CandidateId(index as u16)
    }
}

impl fmt::Display for CandidateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0 + 1)
    }
}

/// One candidate as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Candidate {
    /// The name as printed on the ballot.
    pub name: String,
    /// The party or description, if known.
    pub party: Option<String>,
    /// A withdrawn candidate takes no part in the count: ballots pass over
    /// them as if they had not been marked.
    pub withdrawn: bool,
}

impl Candidate {
    /// A candidate with a name and nothing else.
    pub fn new(name: impl Into<String>) -> Self {
        Candidate { name: name.into(), party: None, withdrawn: false }
    }
}

/// The ordered list of candidates in an election.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Candidates {
    list: Vec<Candidate>,
}

impl Candidates {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// A list from names, in order.
    ///
    /// ```
    /// use psephos::Candidates;
    /// let c = Candidates::from_names(["Khan", "Hall"]);
    /// assert_eq!(c.len(), 2);
    /// assert_eq!(c.name(c.id_of("Hall").unwrap()), "Hall");
    /// ```
    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Candidates { list: names.into_iter().map(Candidate::new).collect() }
    }

    /// Adds a candidate and returns its id, or `None` when the list is full.
    pub fn push(&mut self, candidate: Candidate) -> Option<CandidateId> {
        if self.list.len() >= MAX_CANDIDATES {
            return None;
        }
        self.list.push(candidate);
        Some(CandidateId::from_index(self.list.len() - 1))
    }

    /// How many candidates, withdrawn ones included.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The candidate with this id.
    ///
    /// # Panics
    /// When the id does not belong to this list.
    pub fn get(&self, id: CandidateId) -> &Candidate {
        &self.list[id.index()]
    }

    /// Mutable access to the candidate with this id.
    pub fn get_mut(&mut self, id: CandidateId) -> &mut Candidate {
        &mut self.list[id.index()]
    }

    /// The candidate's name.
    pub fn name(&self, id: CandidateId) -> &str {
        &self.list[id.index()].name
    }

    /// Every id, in declared order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = CandidateId> + Clone {
        (0..self.list.len()).map(CandidateId::from_index)
    }

    /// Every candidate, in declared order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (CandidateId, &Candidate)> {
        self.list.iter().enumerate().map(|(i, c)| (CandidateId::from_index(i), c))
    }

    /// The id of the candidate with exactly this name (a linear search: use it
    /// while reading files, never while counting).
    pub fn id_of(&self, name: &str) -> Option<CandidateId> {
        self.list.iter().position(|c| c.name == name).map(CandidateId::from_index)
    }

    /// Ids of the candidates that have not withdrawn.
    pub fn standing(&self) -> impl Iterator<Item = CandidateId> + '_ {
        self.iter().filter(|(_, c)| !c.withdrawn).map(|(id, _)| id)
    }
}
