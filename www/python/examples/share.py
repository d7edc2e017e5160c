# Processes share nothing unless asked. Each process is its own interpreter with its own
# memory: a child that changes a global changes its own copy, and the parent's stays as it
# was. (To share, a program must ask: a Queue to send values, or a Value in shared memory.)
from multiprocessing import Process
import os

counter = 0


def count(times):
    global counter
    for _ in range(times):
        counter += 1
    print(f'process {os.getpid()}: counter = {counter}')


if __name__ == '__main__':
    children = [Process(target=count, args=(1000,)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    print(f'main process {os.getpid()}: counter = {counter}, after both children counted to 1000')
    count(1)
