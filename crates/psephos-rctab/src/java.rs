//! The few pieces of the Java platform whose behaviour shows in RCTab's results.
//!
//! RCTab breaks random ties with `java.util.Random` and shuffles its
//! tie-breaking permutation with `Collections.shuffle`; where it lists
//! candidates in a report cell or hands tied candidates to a tie-break, the
//! order is often the iteration order of a `java.util.HashMap` or `HashSet`
//! keyed by candidate name. To reproduce its reports exactly these are
//! reimplemented here from the Java SE specification: the 48-bit linear
//! congruential generator of `java.util.Random` (multiplier `0x5DEECE66D`,
//! increment `0xB`), `nextInt(bound)`, `nextDouble()`, the swap loop of
//! `Collections.shuffle`, `String.hashCode` (over UTF-16 code units) and
//! the bucket order of a `HashMap` (hash spread `h ^ (h >>> 16)`, tables of
//! 16 buckets doubling past a 0.75 load factor, insertion order within a
//! bucket).

/// `java.util.Random`: a 48-bit linear congruential generator.
#[derive(Clone, Debug)]
pub struct JavaRandom {
    seed: u64,
}

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const MASK: u64 = (1 << 48) - 1;

impl JavaRandom {
    /// `new Random(seed)`.
    pub fn new(seed: i64) -> JavaRandom {
        JavaRandom { seed: (seed as u64 ^ MULTIPLIER) & MASK }
    }

    /// `next(bits)`: the top `bits` bits of the next state, as a Java `int`.
    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(MULTIPLIER).wrapping_add(0xB)) & MASK;
        (self.seed >> (48 - bits)) as i64 as i32
    }

    /// `nextInt(bound)`: uniform in `0..bound`; `bound` must be positive.
    pub fn next_int(&mut self, bound: i32) -> i32 {
        assert!(bound > 0, "bound must be positive");
        if bound & (bound - 1) == 0 {
            return ((i64::from(bound) * i64::from(self.next(31))) >> 31) as i32;
        }
        loop {
            let bits = self.next(31);
            let val = bits % bound;
            if bits.wrapping_sub(val).wrapping_add(bound - 1) >= 0 {
                return val;
            }
        }
    }

    /// `nextDouble()`: uniform in `[0, 1)` with 53 random bits.
    pub fn next_double(&mut self) -> f64 {
        let hi = i64::from(self.next(26)) << 27;
        let lo = i64::from(self.next(27));
        (hi + lo) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `Collections.shuffle(list, random)` on a random-access list.
    pub fn shuffle<T>(&mut self, list: &mut [T]) {
        for i in (2..=list.len()).rev() {
            let j = self.next_int(i as i32) as usize;
            list.swap(i - 1, j);
        }
    }
}

/// `String.hashCode()`: `s[0]×31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapping.
pub fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)))
}

/// The table size a `HashMap` built by successive `put`s of `len` keys ends with.
pub fn hash_map_capacity(len: usize) -> usize {
    let mut capacity = 16;
    while len * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

/// The table size of `new HashSet<>(collection)` for a collection of `len` items.
pub fn hash_set_copy_capacity(len: usize) -> usize {
    let wanted = ((len as f32 / 0.75) as usize + 1).max(16);
    let capacity = wanted.next_power_of_two();
    capacity.max(hash_map_capacity(len))
}

/// The bucket of a key in a table of `capacity` buckets.
fn bucket(key: &str, capacity: usize) -> usize {
    let h = string_hash(key) as u32;
    ((h ^ (h >> 16)) as usize) & (capacity - 1)
}

/// Keys in the order a Java `HashMap`/`HashSet` with `capacity` buckets
/// iterates them, given in insertion order (distinct keys).
pub fn hash_order<S: AsRef<str>>(keys_in_insertion_order: &[S], capacity: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys_in_insertion_order.len()).collect();
    // A stable sort keeps insertion order within a bucket.
    order.sort_by_key(|&i| bucket(keys_in_insertion_order[i].as_ref(), capacity));
    order
}

/// Keys reordered as a `HashMap` filled by `put`s in this order iterates them.
pub fn hash_map_iteration<S: AsRef<str> + Clone>(keys_in_insertion_order: &[S]) -> Vec<S> {
    let capacity = hash_map_capacity(keys_in_insertion_order.len());
    hash_order(keys_in_insertion_order, capacity).into_iter().map(|i| keys_in_insertion_order[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_matches_the_java_reference_values() {
        // new Random(0).nextInt(10) gives 0, 8, 9, 7, 5, 3 in Java.
        let mut r = JavaRandom::new(0);
        let v: Vec<i32> = (0..6).map(|_| r.next_int(10)).collect();
        assert_eq!(v, vec![0, 8, 9, 7, 5, 3]);
        // new Random(42).nextInt() … nextDouble() of seed 0 is 0.730967787376657.
        let mut r = JavaRandom::new(0);
        assert!((r.next_double() - 0.730_967_787_376_657).abs() < 1e-15);
    }

    #[test]
    fn string_hash_is_java_s() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("hello"), 99_162_322);
        assert_eq!(string_hash("Candidate A Name"), {
            "Candidate A Name".bytes().fold(0i32, |h, b| h.wrapping_mul(31).wrapping_add(i32::from(b)))
        });
    }

    #[test]
    fn capacities_follow_the_load_factor() {
        assert_eq!(hash_map_capacity(12), 16);
        assert_eq!(hash_map_capacity(13), 32);
        assert_eq!(hash_set_copy_capacity(3), 16);
        assert_eq!(hash_set_copy_capacity(12), 32);
    }
}
