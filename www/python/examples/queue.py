# Processes talk by message. A Queue carries pickled values from one process to another:
# a producer puts numbers in, a consumer takes each out, squares it and puts the answer on a
# second queue for the main process. A get that finds its queue empty waits (really sleeps)
# until a put in another process wakes it; None means "no more".
from multiprocessing import Process, Queue
import os
import time


def produce(numbers, n):
    for i in range(n):
        numbers.put(i)
        time.sleep(0.05)
    numbers.put(None)
    print(f'producer, process {os.getpid()}: put {n} numbers, then None')


def consume(numbers, squares):
    while (i := numbers.get()) is not None:
        squares.put((i, i * i, os.getpid()))
    squares.put(None)


if __name__ == '__main__':
    numbers, squares = Queue(), Queue()
    producer = Process(target=produce, args=(numbers, 10))
    consumer = Process(target=consume, args=(numbers, squares))
    producer.start()
    consumer.start()
    while (answer := squares.get()) is not None:
        i, square, pid = answer
        print(f'main, process {os.getpid()}: {i} squared is {square}, from process {pid}')
    producer.join()
    consumer.join()
