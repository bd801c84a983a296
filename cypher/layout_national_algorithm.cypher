// Which layout algorithm made the stored national positions ('' when none is stored): the map lays itself out anew when it is not the current one.
OPTIONAL MATCH (l:Layout {key: 'national'})
RETURN coalesce(l.algorithm, '') AS algorithm
