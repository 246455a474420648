//! The disk model: what a reader sees now (volatile) and what a power cut would keep (durable).
//!
//! Plain data, no FUSE: `fs.rs` puts it behind a mount, and the unit tests below check the rules
//! directly.
//!
//! **File data.** Each file keeps its durable bytes (as of its last fsync or fdatasync) and the
//! writes and truncations made since, in order. A power cut keeps the durable bytes; a
//! randomised cut also keeps a random subset of the later writes, cut into 512-byte sectors
//! (so a write can be torn at any sector boundary), and of the later truncations.
//!
//! **Names.** Creations, links, unlinks and renames (namespace operations) go into one ordered
//! log, each whole (a rename is never half done, even across folders), as on a journaling file
//! system (ext4, XFS, btrfs). An fsync of a folder makes durable every logged operation up to
//! the last one that touched that folder. An fsync of a file makes its data durable but not its
//! name (POSIX: the folder must be synced). A power cut keeps the durable names; a randomised cut
//! also keeps a random prefix of the rest of the log (metadata reaches the disk in order).
//! Whatever is no longer reachable from the root after the cut is gone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::time::SystemTime;

/// An inode number. The root folder is [`ROOT`].
pub type Ino = u64;
/// The root folder's inode.
pub const ROOT: Ino = 1;
/// The unit a randomised cut may tear a write at.
pub const SECTOR: u64 = 512;

/// An errno for a refused operation.
pub type Errno = i32;

/// A small, seeded random number generator (SplitMix64): the same seed gives the same crash
/// state, so a failure can be replayed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    pub fn coin(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }
}

/// File or folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// What `stat` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr {
    pub ino: Ino,
    pub kind: Kind,
    pub size: u64,
    pub mode: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: SystemTime,
}

#[derive(Debug, Clone)]
enum DataOp {
    Write { offset: u64, bytes: Vec<u8> },
    SetLen(u64),
}

#[derive(Debug, Clone)]
struct Inode {
    kind: Kind,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u32,
    mtime: SystemTime,
    /// What reads see.
    data: Vec<u8>,
    /// As of the last fsync.
    durable: Vec<u8>,
    /// Since the last fsync, in order.
    pending: Vec<DataOp>,
    /// Folders: what lookups see now.
    entries: BTreeMap<OsString, Ino>,
    /// The last name it was given (for the operation trace).
    name: OsString,
    /// False for SQLite's `-shm` files, whose writes come from mmap writeback at moments the
    /// kernel picks: counting them would make the cut points differ from run to run. (SQLite
    /// rebuilds the shared-memory index after a crash; nothing durable lives there.) Their
    /// writes still happen, and still fail after the cut.
    counted: bool,
}

impl Inode {
    fn new(kind: Kind, mode: u32, uid: u32, gid: u32, name: &OsStr) -> Self {
        let counted = !name.to_string_lossy().ends_with("-shm");
        Self {
            kind,
            mode,
            uid,
            gid,
            nlink: if kind == Kind::Dir { 2 } else { 1 },
            mtime: SystemTime::now(),
            data: Vec::new(),
            durable: Vec::new(),
            pending: Vec::new(),
            entries: BTreeMap::new(),
            name: name.to_owned(),
            counted,
        }
    }
}

#[derive(Debug, Clone)]
enum NsOp {
    Link {
        dir: Ino,
        name: OsString,
        ino: Ino,
    },
    Unlink {
        dir: Ino,
        name: OsString,
    },
    Rename {
        from_dir: Ino,
        from: OsString,
        to_dir: Ino,
        to: OsString,
        ino: Ino,
    },
}

type Names = HashMap<Ino, BTreeMap<OsString, Ino>>;

impl NsOp {
    fn touches(&self, d: Ino) -> bool {
        match self {
            NsOp::Link { dir, .. } | NsOp::Unlink { dir, .. } => *dir == d,
            NsOp::Rename {
                from_dir, to_dir, ..
            } => *from_dir == d || *to_dir == d,
        }
    }

    fn apply(&self, names: &mut Names) {
        match self {
            NsOp::Link { dir, name, ino } => {
                names.entry(*dir).or_default().insert(name.clone(), *ino);
            }
            NsOp::Unlink { dir, name } => {
                names.entry(*dir).or_default().remove(name);
            }
            NsOp::Rename {
                from_dir,
                from,
                to_dir,
                to,
                ino,
            } => {
                let src = names.entry(*from_dir).or_default();
                if src.get(from) == Some(ino) {
                    src.remove(from);
                }
                names.entry(*to_dir).or_default().insert(to.clone(), *ino);
            }
        }
    }
}

fn write_at(data: &mut Vec<u8>, offset: u64, bytes: &[u8]) {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let end = start.saturating_add(bytes.len());
    if data.len() < end {
        data.resize(end, 0);
    }
    if let Some(dst) = data.get_mut(start..end) {
        dst.copy_from_slice(bytes);
    }
}

fn set_len(data: &mut Vec<u8>, len: u64) {
    data.resize(usize::try_from(len).unwrap_or(usize::MAX), 0);
}

/// The durable bytes with a random subset of the later writes (torn at sector boundaries) and
/// truncations applied, in their order.
fn some_pending(durable: &[u8], pending: &[DataOp], rng: &mut Rng) -> Vec<u8> {
    let mut data = durable.to_vec();
    for op in pending {
        match op {
            DataOp::SetLen(len) => {
                if rng.coin() {
                    set_len(&mut data, *len);
                }
            }
            DataOp::Write { offset, bytes } => {
                let mut pos = 0usize;
                while pos < bytes.len() {
                    let abs = *offset + pos as u64;
                    let room = usize::try_from(SECTOR - abs % SECTOR).unwrap_or(1);
                    let end = bytes.len().min(pos + room);
                    if rng.coin() {
                        if let Some(piece) = bytes.get(pos..end) {
                            write_at(&mut data, abs, piece);
                        }
                    }
                    pos = end;
                }
            }
        }
    }
    data
}

/// How a crash image is made from the state at the cut.
#[derive(Debug, Clone, Copy)]
pub enum Survivors {
    /// Only what was made durable.
    DurableOnly,
    /// What was made durable, plus a seeded random legal share of the rest.
    Random(u64),
}

/// The whole disk. See the module documentation for the rules.
#[derive(Debug, Clone)]
pub struct Disk {
    inodes: HashMap<Ino, Inode>,
    next_ino: Ino,
    /// Folder entries as of the durable point of the log.
    durable_names: Names,
    /// Namespace operations not yet durable, in order.
    log: Vec<NsOp>,
    /// Counted mutating operations applied so far.
    ops: u64,
    /// Cut the power right after this many counted operations.
    cut_after: Option<u64>,
    cut: bool,
    /// One line per counted operation.
    trace: Vec<String>,
    uid: u32,
    gid: u32,
}

const EPERM: Errno = 1;
const EIO: Errno = 5;
const ENOENT: Errno = 2;
const EEXIST: Errno = 17;
const ENOTDIR: Errno = 20;
const EISDIR: Errno = 21;
const EINVAL: Errno = 22;
const ENOTEMPTY: Errno = 39;

impl Disk {
    /// An empty disk: a root folder owned by `uid`/`gid`.
    pub fn new(uid: u32, gid: u32) -> Self {
        let mut inodes = HashMap::new();
        inodes.insert(
            ROOT,
            Inode::new(Kind::Dir, 0o755, uid, gid, OsStr::new("/")),
        );
        let mut durable_names = Names::new();
        durable_names.insert(ROOT, BTreeMap::new());
        Self {
            inodes,
            next_ino: ROOT + 1,
            durable_names,
            log: Vec::new(),
            ops: 0,
            cut_after: None,
            cut: false,
            trace: Vec::new(),
            uid,
            gid,
        }
    }

    /// Cut the power right after the `n`-th counted operation from now (`None`: never).
    pub fn cut_after(&mut self, n: Option<u64>) {
        self.cut_after = n.map(|n| self.ops + n);
        if n == Some(0) {
            self.cut = true;
        }
    }

    /// Whether the power has been cut.
    pub fn is_cut(&self) -> bool {
        self.cut
    }

    /// Counted operations so far.
    pub fn ops(&self) -> u64 {
        self.ops
    }

    /// The counted operations so far, one line each (1-based in the cut numbering).
    pub fn trace(&self) -> &[String] {
        &self.trace
    }

    fn alive(&self) -> Result<(), Errno> {
        if self.cut {
            Err(EIO)
        } else {
            Ok(())
        }
    }

    fn tick(&mut self, counted: bool, what: impl FnOnce() -> String) {
        if !counted {
            return;
        }
        self.ops += 1;
        self.trace.push(what());
        if self.cut_after.is_some_and(|n| self.ops >= n) {
            self.cut = true;
        }
    }

    fn node(&self, ino: Ino) -> Result<&Inode, Errno> {
        self.inodes.get(&ino).ok_or(ENOENT)
    }

    fn node_mut(&mut self, ino: Ino) -> Result<&mut Inode, Errno> {
        self.inodes.get_mut(&ino).ok_or(ENOENT)
    }

    fn dir(&self, ino: Ino) -> Result<&Inode, Errno> {
        let n = self.node(ino)?;
        if n.kind == Kind::Dir {
            Ok(n)
        } else {
            Err(ENOTDIR)
        }
    }

    fn label(&self, ino: Ino) -> String {
        self.inodes.get(&ino).map_or_else(
            || format!("#{ino}"),
            |n| n.name.to_string_lossy().into_owned(),
        )
    }

    pub fn attr(&self, ino: Ino) -> Result<Attr, Errno> {
        let n = self.node(ino)?;
        Ok(Attr {
            ino,
            kind: n.kind,
            size: n.data.len() as u64,
            mode: n.mode,
            nlink: n.nlink,
            uid: n.uid,
            gid: n.gid,
            mtime: n.mtime,
        })
    }

    pub fn lookup(&self, parent: Ino, name: &OsStr) -> Result<Ino, Errno> {
        self.dir(parent)?.entries.get(name).copied().ok_or(ENOENT)
    }

    /// The entries of a folder, without `.` and `..`.
    pub fn list(&self, dir: Ino) -> Result<Vec<(OsString, Ino, Kind)>, Errno> {
        let d = self.dir(dir)?;
        Ok(d.entries
            .iter()
            .map(|(name, ino)| {
                let kind = self.inodes.get(ino).map_or(Kind::File, |n| n.kind);
                (name.clone(), *ino, kind)
            })
            .collect())
    }

    pub fn read(&self, ino: Ino, offset: u64, size: u32) -> Result<Vec<u8>, Errno> {
        let n = self.node(ino)?;
        if n.kind == Kind::Dir {
            return Err(EISDIR);
        }
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(n.data.len());
        let end = start.saturating_add(size as usize).min(n.data.len());
        Ok(n.data
            .get(start..end)
            .map(<[u8]>::to_vec)
            .unwrap_or_default())
    }

    /// Creates a file or folder `name` in `parent`.
    pub fn create(
        &mut self,
        parent: Ino,
        name: &OsStr,
        kind: Kind,
        mode: u32,
        uid: u32,
        gid: u32,
    ) -> Result<Ino, Errno> {
        self.alive()?;
        if self.dir(parent)?.entries.contains_key(name) {
            return Err(EEXIST);
        }
        let ino = self.next_ino;
        self.next_ino += 1;
        self.inodes
            .insert(ino, Inode::new(kind, mode & 0o7777, uid, gid, name));
        let p = self.node_mut(parent)?;
        p.entries.insert(name.to_owned(), ino);
        if kind == Kind::Dir {
            p.nlink += 1;
        }
        self.log.push(NsOp::Link {
            dir: parent,
            name: name.to_owned(),
            ino,
        });
        let what = format!(
            "{} {}/{}",
            if kind == Kind::Dir { "mkdir" } else { "create" },
            self.label(parent),
            name.to_string_lossy()
        );
        self.tick(true, || what);
        Ok(ino)
    }

    /// Removes `name` from `parent`: a file (`dir == false`) or an empty folder.
    pub fn remove(&mut self, parent: Ino, name: &OsStr, dir: bool) -> Result<(), Errno> {
        self.alive()?;
        let ino = self.lookup(parent, name)?;
        let n = self.node(ino)?;
        match (n.kind, dir) {
            (Kind::Dir, false) => return Err(EISDIR),
            (Kind::File, true) => return Err(ENOTDIR),
            (Kind::Dir, true) if !n.entries.is_empty() => return Err(ENOTEMPTY),
            _ => {}
        }
        self.node_mut(parent)?.entries.remove(name);
        let n = self.node_mut(ino)?;
        n.nlink = n.nlink.saturating_sub(if dir { 2 } else { 1 });
        if dir {
            let p = self.node_mut(parent)?;
            p.nlink = p.nlink.saturating_sub(1);
        }
        self.log.push(NsOp::Unlink {
            dir: parent,
            name: name.to_owned(),
        });
        let what = format!(
            "{} {}/{}",
            if dir { "rmdir" } else { "unlink" },
            self.label(parent),
            name.to_string_lossy()
        );
        self.tick(true, || what);
        Ok(())
    }

    /// Renames `parent/name` to `new_parent/new_name`, replacing a file or empty folder there
    /// unless `no_replace`.
    pub fn rename(
        &mut self,
        parent: Ino,
        name: &OsStr,
        new_parent: Ino,
        new_name: &OsStr,
        no_replace: bool,
    ) -> Result<(), Errno> {
        self.alive()?;
        let ino = self.lookup(parent, name)?;
        self.dir(new_parent)?;
        let kind = self.node(ino)?.kind;
        if let Ok(old) = self.lookup(new_parent, new_name) {
            if old == ino {
                return Ok(());
            }
            if no_replace {
                return Err(EEXIST);
            }
            let o = self.node(old)?;
            match (kind, o.kind) {
                (Kind::File, Kind::Dir) => return Err(EISDIR),
                (Kind::Dir, Kind::File) => return Err(ENOTDIR),
                (Kind::Dir, Kind::Dir) if !o.entries.is_empty() => return Err(ENOTEMPTY),
                _ => {}
            }
            let o = self.node_mut(old)?;
            o.nlink = o
                .nlink
                .saturating_sub(if kind == Kind::Dir { 2 } else { 1 });
            if kind == Kind::Dir {
                let p = self.node_mut(new_parent)?;
                p.nlink = p.nlink.saturating_sub(1);
            }
        }
        if kind == Kind::Dir && (ino == new_parent || self.is_under(new_parent, ino)) {
            return Err(EINVAL);
        }
        self.node_mut(parent)?.entries.remove(name);
        self.node_mut(new_parent)?
            .entries
            .insert(new_name.to_owned(), ino);
        if kind == Kind::Dir && parent != new_parent {
            let p = self.node_mut(parent)?;
            p.nlink = p.nlink.saturating_sub(1);
            self.node_mut(new_parent)?.nlink += 1;
        }
        self.node_mut(ino)?.name = new_name.to_owned();
        self.log.push(NsOp::Rename {
            from_dir: parent,
            from: name.to_owned(),
            to_dir: new_parent,
            to: new_name.to_owned(),
            ino,
        });
        let what = format!(
            "rename {}/{} -> {}/{}",
            self.label(parent),
            name.to_string_lossy(),
            self.label(new_parent),
            new_name.to_string_lossy()
        );
        self.tick(true, || what);
        Ok(())
    }

    /// Whether folder `ino` lies inside folder `ancestor`.
    fn is_under(&self, ino: Ino, ancestor: Ino) -> bool {
        let mut stack = vec![ancestor];
        let mut seen = HashSet::new();
        while let Some(d) = stack.pop() {
            if !seen.insert(d) {
                continue;
            }
            if let Some(n) = self.inodes.get(&d) {
                for child in n.entries.values() {
                    if *child == ino {
                        return true;
                    }
                    if self.inodes.get(child).is_some_and(|c| c.kind == Kind::Dir) {
                        stack.push(*child);
                    }
                }
            }
        }
        false
    }

    /// A hard link `new_parent/new_name` to the file `ino`.
    pub fn link(&mut self, ino: Ino, new_parent: Ino, new_name: &OsStr) -> Result<(), Errno> {
        self.alive()?;
        if self.node(ino)?.kind == Kind::Dir {
            return Err(EPERM);
        }
        if self.dir(new_parent)?.entries.contains_key(new_name) {
            return Err(EEXIST);
        }
        self.node_mut(new_parent)?
            .entries
            .insert(new_name.to_owned(), ino);
        let n = self.node_mut(ino)?;
        n.nlink += 1;
        let from = n.name.to_string_lossy().into_owned();
        self.log.push(NsOp::Link {
            dir: new_parent,
            name: new_name.to_owned(),
            ino,
        });
        let what = format!(
            "link {from} -> {}/{}",
            self.label(new_parent),
            new_name.to_string_lossy()
        );
        self.tick(true, || what);
        Ok(())
    }

    pub fn write(&mut self, ino: Ino, offset: u64, bytes: &[u8]) -> Result<u32, Errno> {
        self.alive()?;
        let n = self.node_mut(ino)?;
        if n.kind == Kind::Dir {
            return Err(EISDIR);
        }
        write_at(&mut n.data, offset, bytes);
        n.pending.push(DataOp::Write {
            offset,
            bytes: bytes.to_vec(),
        });
        n.mtime = SystemTime::now();
        let counted = n.counted;
        let what = format!(
            "write {} @{offset}+{}",
            n.name.to_string_lossy(),
            bytes.len()
        );
        self.tick(counted, || what);
        u32::try_from(bytes.len()).map_err(|_| EINVAL)
    }

    pub fn set_len(&mut self, ino: Ino, len: u64) -> Result<(), Errno> {
        self.alive()?;
        let n = self.node_mut(ino)?;
        if n.kind == Kind::Dir {
            return Err(EISDIR);
        }
        set_len(&mut n.data, len);
        n.pending.push(DataOp::SetLen(len));
        n.mtime = SystemTime::now();
        let counted = n.counted;
        let what = format!("truncate {} to {len}", n.name.to_string_lossy());
        self.tick(counted, || what);
        Ok(())
    }

    /// Mode and owner changes: applied at once, not modelled as lost at a cut, not counted.
    pub fn set_meta(
        &mut self,
        ino: Ino,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> Result<(), Errno> {
        self.alive()?;
        let n = self.node_mut(ino)?;
        if let Some(m) = mode {
            n.mode = m & 0o7777;
        }
        if let Some(u) = uid {
            n.uid = u;
        }
        if let Some(g) = gid {
            n.gid = g;
        }
        Ok(())
    }

    /// fsync or fdatasync of a file: its data becomes durable (its name does not).
    pub fn fsync(&mut self, ino: Ino) -> Result<(), Errno> {
        self.alive()?;
        let n = self.node_mut(ino)?;
        if n.kind == Kind::Dir {
            return self.fsync_dir(ino);
        }
        n.durable = n.data.clone();
        n.pending.clear();
        let counted = n.counted;
        let what = format!("fsync {}", n.name.to_string_lossy());
        self.tick(counted, || what);
        Ok(())
    }

    /// fsync of a folder: every namespace operation up to the last one touching it is durable.
    pub fn fsync_dir(&mut self, ino: Ino) -> Result<(), Errno> {
        self.alive()?;
        self.dir(ino)?;
        if let Some(last) = self.log.iter().rposition(|op| op.touches(ino)) {
            for op in self.log.drain(..=last) {
                op.apply(&mut self.durable_names);
            }
        }
        let what = format!("fsync folder {}", self.label(ino));
        self.tick(true, || what);
        Ok(())
    }

    /// What a fresh mount shows after a power cut now.
    pub fn crash_image(&self, survivors: Survivors) -> Disk {
        let mut rng = match survivors {
            Survivors::DurableOnly => None,
            Survivors::Random(seed) => Some(Rng::new(seed)),
        };
        let mut names = self.durable_names.clone();
        if let Some(rng) = rng.as_mut() {
            let keep = rng.below(self.log.len() as u64 + 1);
            for op in self.log.iter().take(usize::try_from(keep).unwrap_or(0)) {
                op.apply(&mut names);
            }
        }
        self.image(
            &names,
            |node, rng_slot| match rng_slot {
                Some(rng) => some_pending(&node.durable, &node.pending, rng),
                None => node.durable.clone(),
            },
            rng.as_mut(),
        )
    }

    /// Everything as it is now, all of it durable (a clean shutdown).
    pub fn synced(&self) -> Disk {
        let names: Names = self
            .inodes
            .iter()
            .filter(|(_, n)| n.kind == Kind::Dir)
            .map(|(ino, n)| (*ino, n.entries.clone()))
            .collect();
        self.image(&names, |node, _| node.data.clone(), None)
    }

    fn image(
        &self,
        names: &Names,
        contents: impl Fn(&Inode, Option<&mut Rng>) -> Vec<u8>,
        mut rng: Option<&mut Rng>,
    ) -> Disk {
        let mut out = Disk::new(self.uid, self.gid);
        out.next_ino = self.next_ino;
        let mut links: HashMap<Ino, u32> = HashMap::new();
        let mut reachable = vec![ROOT];
        let mut seen = HashSet::from([ROOT]);
        let mut i = 0;
        while let Some(&dir) = reachable.get(i) {
            i += 1;
            for child in names.get(&dir).into_iter().flat_map(BTreeMap::values) {
                *links.entry(*child).or_default() += 1;
                if seen.insert(*child)
                    && self.inodes.get(child).is_some_and(|n| n.kind == Kind::Dir)
                {
                    reachable.push(*child);
                }
            }
        }
        let mut order: Vec<Ino> = seen.iter().copied().collect();
        order.sort_unstable();
        for ino in order {
            let Some(node) = self.inodes.get(&ino) else {
                continue;
            };
            let mut fresh = node.clone();
            fresh.pending.clear();
            if node.kind == Kind::Dir {
                fresh.entries = names.get(&ino).cloned().unwrap_or_default();
                let subdirs = fresh
                    .entries
                    .values()
                    .filter(|c| self.inodes.get(c).is_some_and(|n| n.kind == Kind::Dir))
                    .count();
                fresh.nlink = 2 + u32::try_from(subdirs).unwrap_or(0);
                fresh.data.clear();
                fresh.durable.clear();
            } else {
                fresh.data = contents(node, rng.as_deref_mut());
                fresh.durable = fresh.data.clone();
                fresh.entries.clear();
                fresh.nlink = links.get(&ino).copied().unwrap_or(1);
            }
            if node.kind == Kind::Dir {
                out.durable_names.insert(ino, fresh.entries.clone());
            }
            out.inodes.insert(ino, fresh);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> &OsStr {
        OsStr::new(s)
    }

    fn file_at(disk: &Disk, path: &[&str]) -> Option<Vec<u8>> {
        let mut ino = ROOT;
        for p in path {
            ino = disk.lookup(ino, name(p)).ok()?;
        }
        disk.read(ino, 0, u32::MAX).ok()
    }

    #[test]
    fn unsynced_data_and_names_are_lost_synced_ones_stay() {
        let mut d = Disk::new(0, 0);
        let f = d.create(ROOT, name("a"), Kind::File, 0o600, 0, 0).unwrap();
        d.write(f, 0, b"hello").unwrap();
        // Neither the data nor the name was synced.
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["a"]),
            None
        );
        d.fsync(f).unwrap();
        // The data is durable, the name is not.
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["a"]),
            None
        );
        d.fsync_dir(ROOT).unwrap();
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["a"]),
            Some(b"hello".to_vec())
        );
        d.write(f, 5, b" world").unwrap();
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["a"]),
            Some(b"hello".to_vec())
        );
        d.set_len(f, 2).unwrap();
        d.fsync(f).unwrap();
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["a"]),
            Some(b"he".to_vec())
        );
    }

    #[test]
    fn a_rename_is_whole_and_durable_only_after_its_folder_is_synced() {
        let mut d = Disk::new(0, 0);
        let old = d.create(ROOT, name("k"), Kind::File, 0o600, 0, 0).unwrap();
        d.write(old, 0, b"old").unwrap();
        d.fsync(old).unwrap();
        d.fsync_dir(ROOT).unwrap();
        let tmp = d
            .create(ROOT, name("tmp"), Kind::File, 0o600, 0, 0)
            .unwrap();
        d.write(tmp, 0, b"new").unwrap();
        d.fsync(tmp).unwrap();
        d.rename(ROOT, name("tmp"), ROOT, name("k"), false).unwrap();
        assert_eq!(file_at(&d, &["k"]), Some(b"new".to_vec()));
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["k"]),
            Some(b"old".to_vec())
        );
        // Any random survivor set has k whole: old or new, never missing or mixed.
        for seed in 0..200 {
            let img = d.crash_image(Survivors::Random(seed));
            let k = file_at(&img, &["k"]);
            assert!(
                k == Some(b"old".to_vec()) || k == Some(b"new".to_vec()),
                "{k:?}"
            );
        }
        d.fsync_dir(ROOT).unwrap();
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["k"]),
            Some(b"new".to_vec())
        );
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["tmp"]),
            None
        );
    }

    #[test]
    fn a_folder_sync_makes_earlier_operations_durable_too_in_order() {
        let mut d = Disk::new(0, 0);
        let sub = d.create(ROOT, name("sub"), Kind::Dir, 0o700, 0, 0).unwrap();
        let f = d.create(sub, name("f"), Kind::File, 0o600, 0, 0).unwrap();
        d.fsync(f).unwrap();
        d.fsync_dir(sub).unwrap();
        // The mkdir came before the create in `sub`, so it is durable too.
        assert_eq!(
            file_at(&d.crash_image(Survivors::DurableOnly), &["sub", "f"]),
            Some(Vec::new())
        );
    }

    #[test]
    fn random_survivors_tear_writes_only_at_sector_boundaries() {
        let mut d = Disk::new(0, 0);
        let f = d.create(ROOT, name("f"), Kind::File, 0o600, 0, 0).unwrap();
        d.fsync_dir(ROOT).unwrap();
        d.write(f, 0, &[1u8; 2048]).unwrap();
        let mut saw_torn = false;
        for seed in 0..100 {
            let img = d.crash_image(Survivors::Random(seed));
            let data = file_at(&img, &["f"]).unwrap();
            for sector in data.chunks(SECTOR as usize) {
                assert!(
                    sector.iter().all(|b| *b == sector[0]),
                    "torn inside a sector"
                );
            }
            saw_torn |= data.contains(&0) && data.contains(&1);
        }
        assert!(saw_torn);
    }

    #[test]
    fn the_cut_stops_every_later_write() {
        let mut d = Disk::new(0, 0);
        d.cut_after(Some(2));
        let f = d.create(ROOT, name("f"), Kind::File, 0o600, 0, 0).unwrap();
        d.write(f, 0, b"x").unwrap();
        assert!(d.is_cut());
        assert_eq!(d.write(f, 1, b"y"), Err(EIO));
        assert_eq!(d.fsync(f), Err(EIO));
        assert_eq!(d.ops(), 2);
    }
}
