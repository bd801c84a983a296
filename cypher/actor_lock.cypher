// Take the write lock of one actor before reading it, as the first step of a conditional
// write (If-Match): an actor may belong to several proeftuinen, so the lock of the proeftuin
// in the URL alone does not keep a writer through another proeftuin from changing it between
// the check and the write.  Every write of an actor takes this lock too.
MATCH (a:Actor {key: $key})
SET a.lock_ = true
REMOVE a.lock_
RETURN count(a) AS locked
