/*
 * lossyfs: a FUSE file system that loses what was not synced, for the power-loss drill (bench/README.md).
 *
 * Every file of <backing> is shown at <mountpoint>. Data written through the mount (write, truncate) is kept in
 * this process's memory, as the kernel's page cache keeps it, and reaches <backing> only when the file is synced
 * (fsync, fdatasync) or when the periodic write-back comes round (every --writeback-ms, 3000 by default; 0 never),
 * as the kernel's flusher threads would. Killing this process with SIGKILL is the power cut: whatever was neither
 * synced nor written back is gone. Creating, removing and renaming files and directories go through at once.
 *
 * With --lie the file system acknowledges fsync without writing anything: a disk whose cache lies. The drill runs
 * it as its negative control, to show that it does find acknowledged writes that were lost.
 *
 * Runs single-threaded (-s), so there is no locking. File locks are left to the kernel (one host).
 *
 *   lossyfs [--lie] [--writeback-ms N] <backing> <mountpoint>
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define BUCKETS 4096

typedef struct page {
    uint64_t index;
    struct page *next;
    unsigned char data[PAGE];
} page;

/* A regular file with data not yet on the backing file: its pages, its size, and the lowest size it was cut to. */
typedef struct node {
    char *path;
    int fd;
    off_t size;  /* the size the mount shows */
    off_t floor; /* backing bytes at or past this offset read as zeros (a truncate not yet synced) */
    int dirty;
    page *pages[BUCKETS];
    struct node *next;
} node;

static int backing = -1;
static node *nodes;
static int lie;
static long writeback_ms = 3000;
static struct timespec last_writeback;

static const char *rel(const char *path) { return path[1] ? path + 1 : "."; }

static node *find(const char *path) {
    for (node *n = nodes; n; n = n->next)
        if (strcmp(n->path, path) == 0) return n;
    return NULL;
}

static node *get(const char *path) {
    node *n = find(path);
    if (n) return n;
    int fd = openat(backing, rel(path), O_RDWR | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    n = calloc(1, sizeof *n);
    n->path = strdup(path);
    n->fd = fd;
    n->size = n->floor = st.st_size;
    n->next = nodes;
    nodes = n;
    return n;
}

static void drop_pages(node *n, uint64_t from) {
    for (int b = 0; b < BUCKETS; b++) {
        page **link = &n->pages[b];
        while (*link) {
            if ((*link)->index >= from) {
                page *gone = *link;
                *link = gone->next;
                free(gone);
            } else {
                link = &(*link)->next;
            }
        }
    }
}

static void forget(const char *path) {
    for (node **link = &nodes; *link; link = &(*link)->next) {
        if (strcmp((*link)->path, path) == 0) {
            node *gone = *link;
            *link = gone->next;
            drop_pages(gone, 0);
            close(gone->fd);
            free(gone->path);
            free(gone);
            return;
        }
    }
}

static page *lookup(node *n, uint64_t index) {
    for (page *p = n->pages[index % BUCKETS]; p; p = p->next)
        if (p->index == index) return p;
    return NULL;
}

/* Backing bytes as the mount sees them: zeros at and past the floor and past the backing file's end. */
static void read_backing(node *n, unsigned char *to, size_t length, off_t offset) {
    memset(to, 0, length);
    if (offset >= n->floor) return;
    size_t wanted = (size_t)(n->floor - offset) < length ? (size_t)(n->floor - offset) : length;
    size_t done = 0;
    while (done < wanted) {
        ssize_t r = pread(n->fd, to + done, wanted - done, offset + (off_t)done);
        if (r <= 0) break;
        done += (size_t)r;
    }
}

static page *touch(node *n, uint64_t index) {
    page *p = lookup(n, index);
    if (p) return p;
    p = malloc(sizeof *p);
    p->index = index;
    read_backing(n, p->data, PAGE, (off_t)(index * PAGE));
    p->next = n->pages[index % BUCKETS];
    n->pages[index % BUCKETS] = p;
    return p;
}

/* What a sync or the write-back does: the size and every page to the backing file. */
static int write_back(node *n) {
    if (!n->dirty) return 0;
    if (n->floor < n->size && ftruncate(n->fd, n->floor) < 0) return -errno;
    if (ftruncate(n->fd, n->size) < 0) return -errno;
    for (int b = 0; b < BUCKETS; b++) {
        for (page *p = n->pages[b]; p; p = p->next) {
            off_t at = (off_t)(p->index * PAGE);
            if (at >= n->size) continue;
            size_t length = n->size - at < PAGE ? (size_t)(n->size - at) : PAGE;
            if (pwrite(n->fd, p->data, length, at) != (ssize_t)length) return -EIO;
        }
    }
    drop_pages(n, 0);
    n->floor = n->size;
    n->dirty = 0;
    return 0;
}

static void tick(void) {
    if (writeback_ms <= 0) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long elapsed = (now.tv_sec - last_writeback.tv_sec) * 1000 + (now.tv_nsec - last_writeback.tv_nsec) / 1000000;
    if (elapsed < writeback_ms) return;
    last_writeback = now;
    for (node *n = nodes; n; n = n->next) write_back(n);
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    (void)conn;
    cfg->use_ino = 1;
    clock_gettime(CLOCK_MONOTONIC, &last_writeback);
    return NULL;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    (void)fi;
    tick();
    if (fstatat(backing, rel(path), st, AT_SYMLINK_NOFOLLOW) < 0) return -errno;
    node *n = find(path);
    if (n) {
        st->st_size = n->size;
        st->st_blocks = (n->size + 511) / 512;
    }
    return 0;
}

static int fs_access(const char *path, int mask) { return faccessat(backing, rel(path), mask, 0) < 0 ? -errno : 0; }

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t offset, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
    (void)offset, (void)fi, (void)flags;
    int fd = openat(backing, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return -errno;
    }
    for (struct dirent *e; (e = readdir(dir));) fill(buf, e->d_name, NULL, 0, 0);
    closedir(dir);
    return 0;
}

static int fs_mkdir(const char *path, mode_t mode) { return mkdirat(backing, rel(path), mode) < 0 ? -errno : 0; }
static int fs_rmdir(const char *path) { return unlinkat(backing, rel(path), AT_REMOVEDIR) < 0 ? -errno : 0; }

static int fs_unlink(const char *path) {
    tick();
    if (unlinkat(backing, rel(path), 0) < 0) return -errno;
    forget(path);
    return 0;
}

static int fs_rename(const char *from, const char *to, unsigned int flags) {
    if (flags) return -EINVAL;
    if (renameat(backing, rel(from), backing, rel(to)) < 0) return -errno;
    forget(to);
    node *n = find(from);
    if (n) {
        free(n->path);
        n->path = strdup(to);
    }
    return 0;
}

static int fs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
    (void)fi;
    return fchmodat(backing, rel(path), mode, 0) < 0 ? -errno : 0;
}

static int fs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
    (void)fi;
    return fchownat(backing, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int fs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
    (void)fi;
    return utimensat(backing, rel(path), tv, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    (void)fi;
    tick();
    node *n = get(path);
    if (!n) return -errno;
    if (size < n->size) {
        drop_pages(n, (uint64_t)(size + PAGE - 1) / PAGE);
        page *last = size % PAGE ? lookup(n, (uint64_t)size / PAGE) : NULL;
        if (last) memset(last->data + size % PAGE, 0, PAGE - size % PAGE);
        if (size < n->floor) n->floor = size;
    }
    n->size = size;
    n->dirty = 1;
    return 0;
}

static int fs_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
    (void)fi;
    tick();
    int fd = openat(backing, rel(path), O_CREAT | O_RDWR | O_CLOEXEC, mode);
    if (fd < 0) return -errno;
    close(fd);
    return get(path) ? 0 : -errno;
}

static int fs_open(const char *path, struct fuse_file_info *fi) {
    tick();
    node *n = get(path);
    if (!n) return -errno;
    if (fi->flags & O_TRUNC) return fs_truncate(path, 0, NULL);
    return 0;
}

static int fs_read(const char *path, char *buf, size_t length, off_t offset, struct fuse_file_info *fi) {
    (void)fi;
    tick();
    node *n = get(path);
    if (!n) return -errno;
    if (offset >= n->size) return 0;
    if ((off_t)length > n->size - offset) length = (size_t)(n->size - offset);
    size_t done = 0;
    while (done < length) {
        off_t at = offset + (off_t)done;
        uint64_t index = (uint64_t)at / PAGE;
        size_t within = (size_t)(at % PAGE), chunk = PAGE - within < length - done ? PAGE - within : length - done;
        page *p = lookup(n, index);
        if (p) memcpy(buf + done, p->data + within, chunk);
        else read_backing(n, (unsigned char *)buf + done, chunk, at);
        done += chunk;
    }
    return (int)length;
}

static int fs_write(const char *path, const char *buf, size_t length, off_t offset, struct fuse_file_info *fi) {
    (void)fi;
    tick();
    node *n = get(path);
    if (!n) return -errno;
    size_t done = 0;
    while (done < length) {
        off_t at = offset + (off_t)done;
        size_t within = (size_t)(at % PAGE), chunk = PAGE - within < length - done ? PAGE - within : length - done;
        memcpy(touch(n, (uint64_t)at / PAGE)->data + within, buf + done, chunk);
        done += chunk;
    }
    if (offset + (off_t)length > n->size) n->size = offset + (off_t)length;
    n->dirty = 1;
    return (int)length;
}

static int fs_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void)datasync, (void)fi;
    tick();
    if (lie) return 0;
    node *n = find(path);
    if (!n) return 0;
    int result = write_back(n);
    if (result < 0) return result;
    return fsync(n->fd) < 0 ? -errno : 0;
}

static int fs_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
    (void)path, (void)datasync, (void)fi;
    return 0;
}

static int fs_statfs(const char *path, struct statvfs *st) {
    (void)path;
    return fstatvfs(backing, st) < 0 ? -errno : 0;
}

static const struct fuse_operations operations = {
    .init = fs_init,
    .getattr = fs_getattr,
    .access = fs_access,
    .readdir = fs_readdir,
    .mkdir = fs_mkdir,
    .rmdir = fs_rmdir,
    .unlink = fs_unlink,
    .rename = fs_rename,
    .chmod = fs_chmod,
    .chown = fs_chown,
    .utimens = fs_utimens,
    .truncate = fs_truncate,
    .create = fs_create,
    .open = fs_open,
    .read = fs_read,
    .write = fs_write,
    .fsync = fs_fsync,
    .fsyncdir = fs_fsyncdir,
    .statfs = fs_statfs,
};

int main(int argc, char *argv[]) {
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--lie") == 0) lie = 1;
        else if (strcmp(argv[i], "--writeback-ms") == 0 && i + 1 < argc) writeback_ms = strtol(argv[++i], NULL, 10);
        else break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: lossyfs [--lie] [--writeback-ms N] <backing> <mountpoint>\n");
        return 2;
    }
    backing = open(argv[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (backing < 0) {
        perror(argv[i]);
        return 2;
    }
    char *fuse_argv[] = {argv[0], argv[i + 1], "-f", "-s", "-o", "fsname=lossyfs,subtype=lossyfs", NULL};
    return fuse_main(6, fuse_argv, &operations, NULL);
}
