//! The FUSE side: serves a [`Disk`] at a mount point, through the `fuser` crate.
//!
//! Every request is answered from the disk's volatile state; the disk decides what is durable.
//! Locks are not implemented here on purpose: the kernel then keeps POSIX (`fcntl`) and `flock`
//! locks itself, per mount, which is what SQLite's unix VFS and `File::try_lock` need inside one
//! process. Nothing is cached by the kernel beyond the page cache (attribute and entry TTLs are
//! zero), and the page cache goes with the mount at a cut.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use fuser::{
    Errno, FileAttr, FileHandle, FileType, FopenFlags, Generation, INodeNo, OpenFlags, RenameFlags,
    ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty, ReplyEntry, ReplyOpen,
    ReplyStatfs, ReplyWrite, Request, TimeOrNow, WriteFlags,
};

use crate::model::{Attr, Disk, Ino, Kind};

const TTL: Duration = Duration::ZERO;

/// A name in the mount's root that exists exactly when the power has been cut. The process that
/// runs an operation looks it up right after each store call returns, to tell an honest
/// acknowledgement (made before the cut) from a late one. A lookup changes nothing and is not
/// counted; the name is never listed.
pub const CUT_PROBE: &str = ".powercut-cut";
const PROBE_INO: u64 = u64::MAX - 1;

fn probe_attr() -> FileAttr {
    file_attr(&Attr {
        ino: PROBE_INO,
        kind: Kind::File,
        size: 0,
        mode: 0o400,
        nlink: 1,
        uid: 0,
        gid: 0,
        mtime: SystemTime::UNIX_EPOCH,
    })
}

/// A shared handle on the disk a mount serves.
pub type SharedDisk = Arc<Mutex<Disk>>;

/// Locks the disk; a panic elsewhere does not make it unusable.
pub fn lock(disk: &SharedDisk) -> MutexGuard<'_, Disk> {
    disk.lock().unwrap_or_else(PoisonError::into_inner)
}

struct PowerFs {
    disk: SharedDisk,
}

fn errno(e: i32) -> Errno {
    Errno::from_i32(e)
}

fn file_attr(a: &Attr) -> FileAttr {
    FileAttr {
        ino: INodeNo(a.ino),
        size: a.size,
        blocks: a.size.div_ceil(512),
        atime: a.mtime,
        mtime: a.mtime,
        ctime: a.mtime,
        crtime: a.mtime,
        kind: match a.kind {
            Kind::File => FileType::RegularFile,
            Kind::Dir => FileType::Directory,
        },
        perm: u16::try_from(a.mode & 0o7777).unwrap_or(0o600),
        nlink: a.nlink,
        uid: a.uid,
        gid: a.gid,
        rdev: 0,
        blksize: 4096,
        flags: 0,
    }
}

impl PowerFs {
    fn disk(&self) -> MutexGuard<'_, Disk> {
        lock(&self.disk)
    }

    fn entry(&self, ino: Ino, reply: ReplyEntry) {
        match self.disk().attr(ino) {
            Ok(a) => reply.entry(&TTL, &file_attr(&a), Generation(0)),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn empty(result: Result<(), i32>, reply: ReplyEmpty) {
        match result {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(errno(e)),
        }
    }
}

impl fuser::Filesystem for PowerFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        if parent.0 == crate::model::ROOT && name == CUT_PROBE {
            if self.disk().is_cut() {
                reply.entry(&TTL, &probe_attr(), Generation(0));
            } else {
                reply.error(Errno::ENOENT);
            }
            return;
        }
        let found = self.disk().lookup(parent.0, name);
        match found {
            Ok(ino) => self.entry(ino, reply),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        if ino.0 == PROBE_INO {
            reply.attr(&TTL, &probe_attr());
            return;
        }
        match self.disk().attr(ino.0) {
            Ok(a) => reply.attr(&TTL, &file_attr(&a)),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn setattr(
        &self,
        _req: &Request,
        ino: INodeNo,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        _atime: Option<TimeOrNow>,
        _mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        let mut disk = self.disk();
        let result = (|| {
            if mode.is_some() || uid.is_some() || gid.is_some() {
                disk.set_meta(ino.0, mode, uid, gid)?;
            }
            if let Some(len) = size {
                disk.set_len(ino.0, len)?;
            }
            disk.attr(ino.0)
        })();
        match result {
            Ok(a) => reply.attr(&TTL, &file_attr(&a)),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn mknod(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _rdev: u32,
        reply: ReplyEntry,
    ) {
        if mode & S_IFMT != S_IFREG {
            reply.error(Errno::EPERM);
            return;
        }
        let made = self.disk().create(
            parent.0,
            name,
            Kind::File,
            mode & !umask,
            req.uid(),
            req.gid(),
        );
        match made {
            Ok(ino) => self.entry(ino, reply),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn mkdir(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        reply: ReplyEntry,
    ) {
        let made = self.disk().create(
            parent.0,
            name,
            Kind::Dir,
            mode & !umask,
            req.uid(),
            req.gid(),
        );
        match made {
            Ok(ino) => self.entry(ino, reply),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn unlink(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        Self::empty(self.disk().remove(parent.0, name, false), reply);
    }

    fn rmdir(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        Self::empty(self.disk().remove(parent.0, name, true), reply);
    }

    fn rename(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        if flags.contains(RenameFlags::RENAME_EXCHANGE) {
            reply.error(Errno::EINVAL);
            return;
        }
        let no_replace = flags.contains(RenameFlags::RENAME_NOREPLACE);
        let done = self
            .disk()
            .rename(parent.0, name, newparent.0, newname, no_replace);
        Self::empty(done, reply);
    }

    fn link(
        &self,
        _req: &Request,
        ino: INodeNo,
        newparent: INodeNo,
        newname: &OsStr,
        reply: ReplyEntry,
    ) {
        let done = self.disk().link(ino.0, newparent.0, newname);
        match done {
            Ok(()) => self.entry(ino.0, reply),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn open(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.disk().attr(ino.0) {
            Ok(_) => reply.opened(FileHandle(0), FopenFlags::empty()),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<fuser::LockOwner>,
        reply: ReplyData,
    ) {
        match self.disk().read(ino.0, offset, size) {
            Ok(bytes) => reply.data(&bytes),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn write(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<fuser::LockOwner>,
        reply: ReplyWrite,
    ) {
        match self.disk().write(ino.0, offset, data) {
            Ok(n) => reply.written(n),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lock_owner: fuser::LockOwner,
        reply: ReplyEmpty,
    ) {
        reply.ok();
    }

    fn fsync(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        _datasync: bool,
        reply: ReplyEmpty,
    ) {
        Self::empty(self.disk().fsync(ino.0), reply);
    }

    fn opendir(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.disk().attr(ino.0) {
            Ok(a) if a.kind == Kind::Dir => reply.opened(FileHandle(0), FopenFlags::empty()),
            Ok(_) => reply.error(Errno::ENOTDIR),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn readdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        let listed = self.disk().list(ino.0);
        let entries = match listed {
            Ok(e) => e,
            Err(e) => {
                reply.error(errno(e));
                return;
            }
        };
        let all = [
            (OsStr::new(".").to_owned(), ino.0, Kind::Dir),
            (OsStr::new("..").to_owned(), ino.0, Kind::Dir),
        ]
        .into_iter()
        .chain(entries);
        for (i, (name, child, kind)) in all.enumerate().skip(usize::try_from(offset).unwrap_or(0)) {
            let kind = match kind {
                Kind::File => FileType::RegularFile,
                Kind::Dir => FileType::Directory,
            };
            if reply.add(INodeNo(child), i as u64 + 1, kind, &name) {
                break;
            }
        }
        reply.ok();
    }

    fn fsyncdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        _datasync: bool,
        reply: ReplyEmpty,
    ) {
        Self::empty(self.disk().fsync_dir(ino.0), reply);
    }

    fn statfs(&self, _req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        reply.statfs(1 << 20, 1 << 19, 1 << 19, 1 << 16, 1 << 15, 4096, 255, 4096);
    }

    fn create(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _flags: i32,
        reply: ReplyCreate,
    ) {
        let mut disk = self.disk();
        let made = disk
            .create(
                parent.0,
                name,
                Kind::File,
                mode & !umask,
                req.uid(),
                req.gid(),
            )
            .and_then(|ino| disk.attr(ino));
        match made {
            Ok(a) => reply.created(
                &TTL,
                &file_attr(&a),
                Generation(0),
                FileHandle(0),
                FopenFlags::empty(),
            ),
            Err(e) => reply.error(errno(e)),
        }
    }

    fn fallocate(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        length: u64,
        mode: i32,
        reply: ReplyEmpty,
    ) {
        if mode != 0 {
            reply.error(Errno::EOPNOTSUPP);
            return;
        }
        let mut disk = self.disk();
        let result = disk.attr(ino.0).and_then(|a| {
            let end = offset.saturating_add(length);
            if end > a.size {
                disk.set_len(ino.0, end)
            } else {
                Ok(())
            }
        });
        Self::empty(result, reply);
    }
}

/// The file-type bits of a mode, and the type of a regular file.
const S_IFMT: u32 = 0o170000;
const S_IFREG: u32 = 0o100000;

/// A disk mounted at a folder. Unmount with [`Mount::unmount`] to get the disk back.
#[derive(Debug)]
pub struct Mount {
    session: Option<fuser::BackgroundSession>,
    disk: SharedDisk,
    path: PathBuf,
}

/// Why the power-cut tests cannot run here. They never skip: this is a failure.
pub fn check_fuse_available() -> Result<(), String> {
    if !Path::new("/dev/fuse").exists() {
        return Err(
            "/dev/fuse is missing: the power-cut tests need FUSE (load the `fuse` \
             kernel module, or give the container the device). They fail rather than skip."
                .to_owned(),
        );
    }
    Ok(())
}

impl Mount {
    /// Mounts `disk` at the existing, empty folder `path`.
    pub fn new(disk: Disk, path: &Path) -> Result<Self, String> {
        check_fuse_available()?;
        let disk = Arc::new(Mutex::new(disk));
        let mut config = fuser::Config::default();
        config.mount_options = vec![
            fuser::MountOption::FSName("holdfast-powercut".to_owned()),
            fuser::MountOption::RW,
        ];
        config.n_threads = Some(1);
        let fs = PowerFs {
            disk: Arc::clone(&disk),
        };
        let session = fuser::spawn_mount(fs, path, &config).map_err(|e| {
            format!(
                "could not mount the power-cut file system at {} ({e}); it needs /dev/fuse and \
                 either root or fusermount3 (scripts/setup.sh test installs fuse3)",
                path.display()
            )
        })?;
        Ok(Self {
            session: Some(session),
            disk,
            path: path.to_path_buf(),
        })
    }

    /// The mount point.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The disk behind the mount (shared with the FUSE thread).
    pub fn disk(&self) -> &SharedDisk {
        &self.disk
    }

    /// Unmounts (everything on it must be closed) and hands back the disk.
    pub fn unmount(mut self) -> Result<Disk, String> {
        if let Some(s) = self.session.take() {
            s.umount_and_join()
                .map_err(|e| format!("unmounting {}: {e}", self.path.display()))?;
        }
        let disk = lock(&self.disk).clone();
        Ok(disk)
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            let _ = s.umount_and_join();
        }
    }
}
