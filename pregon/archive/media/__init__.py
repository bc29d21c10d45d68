"""Reading files, one module per kind: `sniffing` (format from content), `images`,
`audiovisual` (video and audio), `pdf`; `probe` holds what they all fill in.

Nothing here touches the database; the archive's services decide what to store.
"""
