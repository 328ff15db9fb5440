//! Writing the planned context as the tar stream the docker CLI uploads —
//! byte for byte what Go's `archive/tar` writes for moby/go-archive
//! (`FileInfoHeader`: PAX format allowed, USTAR when it fits, uid/gid 0,
//! empty user and group names, whole-second mtimes).
//!
//! Headers are `tar::Header`s, whose setters write the numeric fields as Go
//! does; data, padding and the closing blocks go through `tar::Builder`.
//! Three things the crate does differently from Go are done here by hand
//! (the byte-for-byte test in `tests/engine_context.rs` fails without them):
//! * the checksum field: Go writes six octal digits, NUL, space;
//!   `Header::set_cksum` writes seven digits and NUL;
//! * the choice between USTAR and PAX and the USTAR prefix/name split (Go's
//!   `splitUSTARPath`); `Header::set_path` also normalises the path;
//! * the PAX extended header: Go names it `dir/PaxHeaders.0/file` and fills
//!   its mode, uid and gid fields with zeros; `append_pax_extensions` leaves
//!   the name and those fields empty.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};

use tar::{EntryType, Header};

use super::dockerignore::clean_bytes;
use super::plan::{ContextPlan, Entry, EntryKind, PackError};
use super::walk::{path_from_bytes, unix_fields};

const BLOCK: u64 = 512;

/// The two zero blocks that end an archive.
const TRAILER: u64 = 2 * BLOCK;

/// File contents are read this much at a time.
const READ_CHUNK: usize = 64 * 1024;

fn padded(size: u64) -> u64 {
    size.div_ceil(BLOCK) * BLOCK
}

/// Bytes of the archive [`write_tar`] produces for `entries`.
pub(super) fn archive_size(entries: &[Entry]) -> u64 {
    let members: u64 = entries
        .iter()
        .map(|e| {
            let pax = member_headers(e)
                .pax
                .map_or(0, |(_, data)| BLOCK + padded(data.len() as u64));
            pax + BLOCK + padded(e.size)
        })
        .sum();
    members + TRAILER
}

/// Streams the archive described by `plan` into `out`; file contents are
/// read in 64 KiB chunks as they are written. Returns the bytes written.
/// After a failure nothing more is written (no closing blocks).
pub fn write_tar<W: Write>(plan: &ContextPlan, out: W) -> Result<u64, PackError> {
    let mut ar = tar::Builder::new(Counting {
        inner: out,
        count: 0,
        stopped: false,
    });
    if let Err(e) = write_members(&mut ar, plan) {
        // Dropping a Builder writes the closing blocks; an archive that
        // failed must end where it failed.
        ar.get_mut().stopped = true;
        return Err(e);
    }
    let mut out = ar.into_inner().map_err(PackError::Write)?;
    out.flush().map_err(PackError::Write)?;
    Ok(out.count)
}

fn write_members<W: Write>(ar: &mut tar::Builder<W>, plan: &ContextPlan) -> Result<(), PackError> {
    for e in &plan.entries {
        let headers = member_headers(e);
        if let Some((header, data)) = &headers.pax {
            ar.append(header, data.as_slice())
                .map_err(PackError::Write)?;
        }
        if e.kind == EntryKind::File && e.size > 0 {
            let mut contents = PlannedFile::open(plan, e)?;
            let reader = BufReader::with_capacity(READ_CHUNK, &mut contents);
            if let Err(err) = ar.append(&headers.main, reader) {
                return Err(contents.failure.take().unwrap_or(PackError::Write(err)));
            }
        } else {
            ar.append(&headers.main, io::empty())
                .map_err(PackError::Write)?;
        }
    }
    Ok(())
}

/// Counts the bytes passed on to the writer; once `stopped`, passes none.
struct Counting<W> {
    inner: W,
    count: u64,
    stopped: bool,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.stopped {
            return Err(io::Error::other("the archive was abandoned"));
        }
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A planned regular file, yielding exactly the size its header promised:
/// like Go's tar writer never more, and fewer is an error (the archive would
/// be corrupt). Why reading stopped is kept in `failure`.
struct PlannedFile<'a> {
    entry: &'a Entry,
    file: io::Take<File>,
    remaining: u64,
    failure: Option<PackError>,
}

impl<'a> PlannedFile<'a> {
    /// Opens the file, refusing one that is no longer the planned inode.
    fn open(plan: &ContextPlan, entry: &'a Entry) -> Result<PlannedFile<'a>, PackError> {
        let unreadable = |source| PackError::Unreadable {
            path: entry.path_str().into_owned(),
            source,
        };
        let file = File::open(path_from_bytes(&plan.root, &entry.path)).map_err(unreadable)?;
        let meta = file.metadata().map_err(unreadable)?;
        let (_, _, _, ino) = unix_fields(&meta);
        if ino != entry.ino || !meta.is_file() {
            return Err(PackError::Changed(entry.path_str().into_owned()));
        }
        Ok(PlannedFile {
            entry,
            file: file.take(entry.size),
            remaining: entry.size,
            failure: None,
        })
    }

    fn fail(&mut self, why: PackError) -> io::Error {
        let err = io::Error::other(why.to_string());
        self.failure = Some(why);
        err
    }
}

impl Read for PlannedFile<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        match self.file.read(buf) {
            Ok(0) => Err(self.fail(PackError::Changed(self.entry.path_str().into_owned()))),
            Ok(n) => {
                self.remaining -= n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(source) => Err(self.fail(PackError::Unreadable {
                path: self.entry.path_str().into_owned(),
                source,
            })),
        }
    }
}

/// The header block(s) of one member: a PAX extended header with its
/// records when Go would write one, then the member's own header.
struct MemberHeaders {
    pax: Option<(Header, Vec<u8>)>,
    main: Header,
}

/// Go's `Writer.WriteHeader` for the header go-archive builds for `e`.
fn member_headers(e: &Entry) -> MemberHeaders {
    let name = e.tar_name();
    let (entry_type, link): (EntryType, &[u8]) = match &e.kind {
        EntryKind::Dir => (EntryType::Directory, b""),
        EntryKind::File => (EntryType::Regular, b""),
        EntryKind::Symlink { target } => (EntryType::Symlink, target),
        EntryKind::HardLink { target } => (EntryType::Link, target),
    };

    // Go `Header.allowedFormats`: what USTAR cannot hold goes to PAX
    // records; USTAR is still used when only the name needed a record and
    // it splits into prefix and name.
    let mut records: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut ustar = true;
    if !name.is_ascii() || name.len() > 100 {
        ustar &= split_ustar(&name).is_some();
        records.push(("path", name.clone()));
    }
    if !link.is_ascii() || link.len() > 100 {
        ustar = false;
        records.push(("linkpath", link.to_vec()));
    }
    let size = i64::try_from(e.size).unwrap_or(i64::MAX);
    if !fits_octal(12, size) {
        ustar = false;
        records.push(("size", size.to_string().into_bytes()));
    }
    if !fits_octal(12, e.mtime) {
        ustar = false;
        records.push(("mtime", e.mtime.to_string().into_bytes()));
    }

    let mut main = Header::new_ustar();
    main.set_entry_type(entry_type);
    main.set_mode(e.mode);
    main.set_uid(0);
    main.set_gid(0);
    // Values that do not fit are in the PAX records; Go writes 0 here.
    main.set_size(if fits_octal(12, size) { e.size } else { 0 });
    main.set_mtime(
        u64::try_from(e.mtime)
            .ok()
            .filter(|_| fits_octal(12, e.mtime))
            .unwrap_or(0),
    );
    // Cannot fail on a USTAR header.
    let _ = main.set_device_major(0);
    let _ = main.set_device_minor(0);

    let pax = if ustar {
        let (prefix, short) = split_ustar(&name).unwrap_or((b"", &name));
        set_names(&mut main, short, prefix, link);
        None
    } else {
        records.sort_by(|a, b| a.0.cmp(b.0));
        let data: Vec<u8> = records.iter().flat_map(|(k, v)| pax_record(k, v)).collect();
        set_names(&mut main, &to_ascii(&name), b"", &to_ascii(link));
        Some((pax_header(&name, data.len() as u64), data))
    };
    set_go_checksum(&mut main);
    MemberHeaders { pax, main }
}

/// The header of a PAX extended header (Go `Writer.writeRawFile`).
fn pax_header(name: &[u8], data_len: u64) -> Header {
    // Go `path.Join(dir, "PaxHeaders.0", file)`; `dir` is empty or ends in
    // `/`, and Join cleans (a directory's trailing slash goes).
    let split_at = name.iter().rposition(|b| *b == b'/').map_or(0, |i| i + 1);
    let (dir, file) = name.split_at(split_at);
    let mut joined = dir.to_vec();
    joined.extend_from_slice(b"PaxHeaders.0/");
    joined.extend_from_slice(file);
    let mut pax_name = to_ascii(&clean_bytes(&joined));
    pax_name.truncate(100);
    while pax_name.last() == Some(&b'/') {
        pax_name.pop();
    }
    let mut h = Header::new_ustar();
    h.set_entry_type(EntryType::XHeader);
    h.set_mode(0);
    h.set_uid(0);
    h.set_gid(0);
    h.set_size(data_len);
    set_names(&mut h, &pax_name, b"", b"");
    set_go_checksum(&mut h);
    h
}

/// Writes the name, prefix and link name fields verbatim (Go
/// `formatString`), bypassing `set_path`'s normalisation.
fn set_names(h: &mut Header, name: &[u8], prefix: &[u8], link: &[u8]) {
    put_str(&mut h.as_old_mut().linkname, link);
    if let Some(ustar) = h.as_ustar_mut() {
        put_str(&mut ustar.name, name);
        put_str(&mut ustar.prefix, prefix);
    }
}

/// Go's checksum field: six octal digits, NUL, space.
fn set_go_checksum(h: &mut Header) {
    // set_cksum computes the sum as Go does (the field counted as spaces)
    // but writes it as seven digits and a NUL; rewrite it Go's way.
    h.set_cksum();
    let sum = h.cksum().unwrap_or(0);
    let field = &mut h.as_old_mut().cksum;
    field[..6].copy_from_slice(format!("{sum:06o}").as_bytes());
    field[6] = 0;
    field[7] = b' ';
}

/// Go `fitsInOctal`: does `value` fit a NUL-terminated octal field?
fn fits_octal(len: usize, value: i64) -> bool {
    let bits = (len as u32 - 1) * 3;
    value >= 0 && (len >= 22 || value < (1i64 << bits))
}

/// Go `formatString`.
fn put_str(field: &mut [u8], s: &[u8]) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s[..n]);
    if s.len() < field.len() {
        field[s.len()] = 0;
    }
    if s.len() > field.len() && field[field.len() - 1] == b'/' {
        let mut end = field.len();
        while end > 0 && s[end - 1] == b'/' {
            end -= 1;
        }
        field[end] = 0;
    }
}

/// Go `toASCII`: drops every byte that is not 7-bit ASCII (and NUL).
fn to_ascii(s: &[u8]) -> Vec<u8> {
    s.iter().copied().filter(|&c| c < 0x80 && c != 0).collect()
}

/// Go `splitUSTARPath`: (prefix, name) when `name` fits USTAR that way.
fn split_ustar(name: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut length = name.len();
    if length <= 100 || !name.is_ascii() {
        return None;
    } else if length > 156 {
        length = 156;
    } else if name[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].iter().rposition(|b| *b == b'/')?;
    let nlen = name.len() - i - 1;
    if i == 0 || nlen > 100 || nlen == 0 || i > 155 {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// Go `formatPAXRecord`: `"<len> <key>=<value>\n"`, where `<len>` counts
/// the whole record including its own digits.
fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let base = key.len() + value.len() + 3;
    let mut size = base + base.to_string().len();
    if (base + size.to_string().len()) != size {
        size = base + size.to_string().len();
    }
    let mut rec = format!("{size} {key}=").into_bytes();
    rec.extend_from_slice(value);
    rec.push(b'\n');
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_record_lengths() {
        assert_eq!(pax_record("path", b"abc"), b"12 path=abc\n");
        // the size field growing a digit is accounted for
        let v = vec![b'a'; 91];
        let r = pax_record("path", &v);
        assert_eq!(r.len(), 101);
        assert!(r.starts_with(b"101 path=a"));
    }

    #[test]
    fn checksum_field_is_gos() {
        let mut h = Header::new_ustar();
        h.set_mode(0o644);
        set_go_checksum(&mut h);
        let field = &h.as_bytes()[148..156];
        assert_eq!(&field[6..], b"\0 ");
        assert!(field[..6].iter().all(u8::is_ascii_digit), "{field:?}");
        // and the tar crate reads it back
        assert!(h.cksum().is_ok());
    }

    #[test]
    fn ustar_split_picks_the_longest_prefix() {
        let name = format!("{}/{}/{}", "a".repeat(50), "b".repeat(60), "c".repeat(40));
        let (prefix, short) = split_ustar(name.as_bytes()).unwrap();
        assert_eq!(prefix.len(), 111);
        assert_eq!(short, "c".repeat(40).as_bytes());
        assert!(split_ustar("é".repeat(60).as_bytes()).is_none());
        assert!(split_ustar(&[b'x'; 101]).is_none(), "no slash to split at");
    }
}
