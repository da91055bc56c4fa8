//! A file of sections that decode independently: the cache's `corpus.bin`.
//!
//! One postcard blob for a whole corpus has to be read into memory at once
//! and decoded on one core: at 100,000 articles that was a 400 MB buffer
//! beside everything decoded from it, and most of a start from the cache.
//! Here each part of the corpus (documents in chunks, entities in chunks,
//! each index) is its own postcard blob with an XXH3 checksum, read with a
//! positioned read and decoded on whichever core is free; its buffer is
//! dropped as soon as it is decoded.
//!
//! Layout: the header (postcard, opening the file so that another build's
//! cache is told apart before anything else is read), the sections one
//! after the other, the table of sections (postcard), and last the table's
//! offset as a little-endian `u64`.

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::text::TextFile;

/// Where one section stands, and what it hashes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// What the section holds; the caller's numbering.
    pub kind: u8,
    pub offset: u64,
    pub len: u64,
    pub hash: u64,
}

/// Writes a sectioned file: the header first, then [`Self::section`] for
/// each part, then [`Self::finish`].
pub struct Writer<W: Write> {
    out: W,
    at: u64,
    table: Vec<Section>,
}

impl<W: Write> Writer<W> {
    pub fn new<H: Serialize>(mut out: W, header: &H) -> std::io::Result<Writer<W>> {
        let head = postcard::to_stdvec(header).map_err(std::io::Error::other)?;
        out.write_all(&head)?;
        Ok(Writer {
            out,
            at: head.len() as u64,
            table: Vec::new(),
        })
    }

    /// Add a section already encoded.
    pub fn section(&mut self, kind: u8, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.table.push(Section {
            kind,
            offset: self.at,
            len: bytes.len() as u64,
            hash: twox_hash::XxHash3_64::oneshot(bytes),
        });
        self.at += bytes.len() as u64;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        let table = postcard::to_stdvec(&self.table).map_err(std::io::Error::other)?;
        self.out.write_all(&table)?;
        self.out.write_all(&self.at.to_le_bytes())?;
        Ok(self.out)
    }
}

/// Encode a section's value.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> std::io::Result<Vec<u8>> {
    postcard::to_stdvec(value).map_err(std::io::Error::other)
}

/// The opening bytes of a file, enough for its header (which the caller
/// decodes and checks before trusting anything else).
pub fn head(file: &TextFile) -> std::io::Result<Vec<u8>> {
    let size = file.size()?;
    file.read_at(0, size.min(4096) as usize)
}

/// The table of sections of a file.
pub fn table(file: &TextFile) -> Result<Vec<Section>, String> {
    let size = file.size().map_err(|e| e.to_string())?;
    let end = size
        .checked_sub(8)
        .ok_or("too short for a table of sections")?;
    let tail = file.read_at(end, 8).map_err(|e| e.to_string())?;
    let start = u64::from_le_bytes(tail.try_into().expect("8 bytes"));
    if start > end || end - start > 1 << 24 {
        return Err("the table of sections is out of place".into());
    }
    let bytes = file
        .read_at(start, (end - start) as usize)
        .map_err(|e| e.to_string())?;
    let table: Vec<Section> = postcard::from_bytes(&bytes).map_err(|e| e.to_string())?;
    if table.iter().any(|s| s.offset.saturating_add(s.len) > start) {
        return Err("a section runs past its end".into());
    }
    Ok(table)
}

/// One section's bytes, checked against its hash.
pub fn read(file: &TextFile, section: &Section) -> Result<Vec<u8>, String> {
    let len = usize::try_from(section.len).map_err(|e| e.to_string())?;
    let bytes = file
        .read_at(section.offset, len)
        .map_err(|e| e.to_string())?;
    if twox_hash::XxHash3_64::oneshot(&bytes) != section.hash {
        return Err(format!("section {} is damaged", section.kind));
    }
    Ok(bytes)
}

/// Decode a section's bytes.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| e.to_string())
}

/// How many items a section holding a list has: the length postcard
/// writes at its head, read without reading the rest.
pub fn list_len(file: &TextFile, section: &Section) -> Result<usize, String> {
    // A varint of a `usize` takes at most ten bytes.
    let head = file
        .read_at(section.offset, section.len.min(10) as usize)
        .map_err(|e| e.to_string())?;
    let (len, _) = postcard::take_from_bytes::<u64>(&head).map_err(|e| e.to_string())?;
    usize::try_from(len).map_err(|e| e.to_string())
}

/// Decode a section holding a list onto the end of `out`, item by item:
/// a list cut in sections is put together in place, never held twice.
pub fn decode_onto<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
    out: &mut Vec<T>,
) -> Result<(), String> {
    let mut de = postcard::Deserializer::from_bytes(bytes);
    serde::de::DeserializeSeed::deserialize(Onto(out), &mut de).map_err(|e| e.to_string())
}

/// Appends a sequence's items to a vector.
struct Onto<'v, T>(&'v mut Vec<T>);

impl<'de, T: Deserialize<'de>> serde::de::DeserializeSeed<'de> for Onto<'_, T> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Onto<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // The caller sizes `out` from the lengths; a length read from a
        // file asks for no more than a bounded step here (a section is
        // checked against its hash, but its hash is no proof of sense).
        if let Some(n) = seq.size_hint() {
            self.0.reserve(n.min(1 << 16));
        }
        while let Some(item) = seq.next_element()? {
            self.0.push(item);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(sections: &[(u8, Vec<String>)]) -> tempfile::NamedTempFile {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        let mut w = Writer::new(tmp.reopen().unwrap(), &("header", 7u32)).unwrap();
        for (kind, value) in sections {
            w.section(*kind, &encode(value).unwrap()).unwrap();
        }
        w.finish().unwrap().flush().unwrap();
        tmp
    }

    #[test]
    fn sections_come_back_each_on_its_own() {
        let parts = vec![
            (1, vec!["Zoë Ångström".to_string(), "“quoted”".into()]),
            (2, vec![]),
            (1, vec!["🙂\r\n".to_string()]),
        ];
        let tmp = write(&parts);
        let file = TextFile::open(tmp.path()).unwrap();
        let (header, _): ((String, u32), _) =
            postcard::take_from_bytes(&head(&file).unwrap()).unwrap();
        assert_eq!(header, ("header".to_string(), 7));
        let table = table(&file).unwrap();
        assert_eq!(table.iter().map(|s| s.kind).collect::<Vec<_>>(), [1, 2, 1]);
        // Read in any order.
        for (s, (_, want)) in table.iter().zip(&parts).rev() {
            let got: Vec<String> = decode(&read(&file, s).unwrap()).unwrap();
            assert_eq!(&got, want);
        }
    }

    #[test]
    fn a_list_in_sections_is_put_together_in_order_without_regrowing() {
        let parts = vec![
            (1, vec!["Zoë".to_string(), "“a”".into(), "b".into()]),
            (1, vec![]),
            (1, vec!["🙂\r\n".to_string(), "c".into()]),
        ];
        let tmp = write(&parts);
        let file = TextFile::open(tmp.path()).unwrap();
        let table = table(&file).unwrap();
        let lens: Vec<usize> = table.iter().map(|s| list_len(&file, s).unwrap()).collect();
        assert_eq!(lens, [3, 0, 2]);
        let mut out: Vec<String> = Vec::with_capacity(lens.iter().sum());
        let at = out.as_ptr();
        for s in &table {
            decode_onto(&read(&file, s).unwrap(), &mut out).unwrap();
        }
        assert_eq!(out, ["Zoë", "“a”", "b", "🙂\r\n", "c"]);
        assert_eq!(out.as_ptr(), at, "the list was moved while put together");
        // A list cut short is an error, not a panic.
        assert!(decode_onto::<u32>(b"\x05\x01", &mut Vec::new()).is_err());
    }

    #[test]
    fn damage_is_found_where_it_is() {
        let parts = vec![(1, vec!["first".to_string()]), (2, vec!["second".into()])];
        let tmp = write(&parts);
        let file = TextFile::open(tmp.path()).unwrap();
        let table = table(&file).unwrap();
        let mut bytes = std::fs::read(tmp.path()).unwrap();
        bytes[table[1].offset as usize + 2] ^= 0x20;
        std::fs::write(tmp.path(), &bytes).unwrap();
        let file = TextFile::open(tmp.path()).unwrap();
        assert!(read(&file, &table[0]).is_ok());
        assert_eq!(read(&file, &table[1]).unwrap_err(), "section 2 is damaged");

        // Cut short: the table is not where the tail says.
        std::fs::write(tmp.path(), &bytes[..bytes.len() - 3]).unwrap();
        assert!(super::table(&TextFile::open(tmp.path()).unwrap()).is_err());
        std::fs::write(tmp.path(), b"abc").unwrap();
        assert!(super::table(&TextFile::open(tmp.path()).unwrap()).is_err());
    }
}
