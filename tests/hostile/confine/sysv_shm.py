"""Creates SysV shared memory, a semaphore set and a message queue, and leaves them behind."""
# says: where to start
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT = 0o1000
BASE = @KEY_BASE@
for i in range(4):
    shm = libc.shmget(BASE + i, 64 * 1024 * 1024, IPC_CREAT | 0o666)
    if shm >= 0:
        address = libc.shmat(shm, None, 0)
        libc.shmdt(ctypes.c_void_p(address))
    libc.semget(BASE + 0x10 + i, 4, IPC_CREAT | 0o666)
    libc.msgget(BASE + 0x20 + i, IPC_CREAT | 0o666)
# @starter
