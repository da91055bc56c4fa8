//! Large vectors of plain numbers in the index cache, stored as one byte
//! string each (little-endian) rather than as a sequence of numbers.
//!
//! Reading a sequence, serde reserves at most 1 MiB up front and then lets
//! the vector double as it grows, so a vector of millions of numbers comes
//! back holding up to twice the memory it needs. From one byte string it
//! is made at its exact size. For `#[serde(with = "packed")]` on a
//! `Vec<u16>`, `Vec<u32>` or `Vec<u64>`; a `Vec<u8>` takes
//! `with = "serde_bytes"`, which reads it at its exact size too.

use std::borrow::Cow;

use serde::{Deserializer, Serializer};

/// A number with a fixed little-endian encoding.
pub trait Plain: Copy {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    /// From exactly [`Plain::SIZE`] bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl Plain for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}

plain!(u16, u32, u64);

pub fn serialize<S: Serializer, T: Plain>(values: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(values.len() * T::SIZE);
    for &v in values {
        v.put(&mut bytes);
    }
    serializer.serialize_bytes(&bytes)
}

pub fn deserialize<'de, D: Deserializer<'de>, T: Plain>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    // Borrowed from the section's buffer where the format allows.
    let bytes: Cow<'de, [u8]> = serde_bytes::deserialize(deserializer)?;
    if bytes.len() % T::SIZE != 0 {
        return Err(serde::de::Error::custom(format!(
            "{} bytes are not a whole number of {}-byte numbers",
            bytes.len(),
            T::SIZE
        )));
    }
    Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Lists {
        #[serde(with = "super")]
        wide: Vec<u64>,
        #[serde(with = "super")]
        ends: Vec<u32>,
        #[serde(with = "super")]
        short: Vec<u16>,
        #[serde(with = "serde_bytes")]
        bits: Vec<u8>,
    }

    #[test]
    fn lists_come_back_equal_and_at_their_exact_size() {
        let lists = Lists {
            wide: (0..300_000u64)
                .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                .collect(),
            ends: (0..300_001u32)
                .map(|i| i.wrapping_mul(2_654_435_761))
                .collect(),
            short: vec![0, 1, u16::MAX],
            bits: vec![0b1010_0101; 17],
        };
        let bytes = postcard::to_allocvec(&lists).unwrap();
        let back: Lists = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, lists);
        // Read as a sequence, 300,000 numbers would have grown to 2^19.
        assert_eq!(back.wide.capacity(), 300_000);
        assert_eq!(back.ends.capacity(), 300_001);
    }

    #[test]
    fn a_truncated_list_is_an_error_not_a_panic() {
        #[derive(Serialize)]
        struct Raw {
            #[serde(with = "serde_bytes")]
            ends: Vec<u8>,
        }
        #[derive(Debug, Deserialize)]
        struct Ends {
            #[serde(with = "super")]
            #[allow(dead_code)]
            ends: Vec<u32>,
        }
        let bytes = postcard::to_allocvec(&Raw {
            ends: vec![1, 2, 3, 4, 5],
        })
        .unwrap();
        assert!(postcard::from_bytes::<Ends>(&bytes).is_err());
    }
}
