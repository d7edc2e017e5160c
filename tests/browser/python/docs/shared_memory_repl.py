# The documentation of multiprocessing.shared_memory shows its examples as interactive
# sessions; each runs here unchanged, as doctest runs a session, and prints doctest's count,
# after the lines whose output differs from the documentation's. (One does in CPython too:
# the documentation's ValueError message is older than CPython's.)
import doctest


class Runner(doctest.DocTestRunner):
    # Which line differed, without doctest's report (it names files, which differ by machine).
    def report_failure(self, out, test, example, got):
        out(f"differs: {example.source.strip()}")

    def report_unexpected_exception(self, out, test, example, exc_info):
        out(f"raised: {example.source.strip()}: {exc_info[0].__name__}: {exc_info[1]}")

SESSIONS = [
    """
>>> from multiprocessing import shared_memory
>>> shm_a = shared_memory.SharedMemory(create=True, size=10)
>>> type(shm_a.buf)
<class 'memoryview'>
>>> buffer = shm_a.buf
>>> len(buffer)
10
>>> buffer[:4] = bytearray([22, 33, 44, 55])  # Modify multiple at once
>>> buffer[4] = 100                           # Modify single byte at a time
>>> # Attach to an existing shared memory block
>>> shm_b = shared_memory.SharedMemory(shm_a.name)
>>> import array
>>> array.array('b', shm_b.buf[:5])  # Copy the data into a new array.array
array('b', [22, 33, 44, 55, 100])
>>> shm_b.buf[:5] = b'howdy'  # Modify via shm_b using bytes
>>> bytes(shm_a.buf[:5])      # Access via shm_a
b'howdy'
>>> shm_b.close()   # Close each SharedMemory instance
>>> shm_a.close()
>>> shm_a.unlink()  # Call unlink only once to release the shared memory
""",
    """
>>> from multiprocessing import shared_memory
>>> a = shared_memory.ShareableList(['howdy', b'HoWdY', -273.154, 100, None, True, 42])
>>> [ type(entry) for entry in a ]
[<class 'str'>, <class 'bytes'>, <class 'float'>, <class 'int'>, <class 'NoneType'>, <class 'bool'>, <class 'int'>]
>>> a[2]
-273.154
>>> a[2] = -78.5
>>> a[2]
-78.5
>>> a[2] = 'dry ice'  # Changing data types is supported as well
>>> a[2]
'dry ice'
>>> a[2] = 'larger than previously allocated storage space'
Traceback (most recent call last):
  ...
ValueError: exceeds available storage for existing str
>>> a[2]
'dry ice'
>>> len(a)
7
>>> a.index(42)
6
>>> a.count(b'howdy')
0
>>> a.count(b'HoWdY')
1
>>> a.shm.close()
>>> a.shm.unlink()
>>> del a  # Use of a ShareableList after call to unlink() is unsupported
""",
    """
>>> b = shared_memory.ShareableList(range(5))         # In a first process
>>> c = shared_memory.ShareableList(name=b.shm.name)  # In a second process
>>> c
ShareableList([0, 1, 2, 3, 4], name='...')
>>> c[-1] = -999
>>> b[-1]
-999
>>> b.shm.close()
>>> c.shm.close()
>>> c.shm.unlink()
""",
    """
>>> import pickle
>>> from multiprocessing import shared_memory
>>> sl = shared_memory.ShareableList(range(10))
>>> list(sl)
[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
>>> deserialized_sl = pickle.loads(pickle.dumps(sl))
>>> print(deserialized_sl)
ShareableList([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], name='...')
>>> deserialized_sl[0] = -1
>>> deserialized_sl[1] = -2
>>> sl[0]
-1
>>> sl[1]
-2
>>> deserialized_sl.shm.close()
>>> sl.shm.close()
>>> sl.shm.unlink()
""",
]

if __name__ == '__main__':
    from multiprocessing import shared_memory
    for number, session in enumerate(SESSIONS, 1):
        test = doctest.DocTestParser().get_doctest(
            session, {"shared_memory": shared_memory}, f"session {number}", None, 0)
        said = []
        results = Runner(optionflags=doctest.ELLIPSIS).run(test, out=said.append)
        for line in said:
            print(line)
        print(f"session {number}: {results.failed} of {results.attempted} differ")
