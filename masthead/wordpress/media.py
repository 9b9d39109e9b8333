"""Finding the images an export refers to and adding them to Wagtail's image library, once.

The export names attachments (`post_type` "attachment": the file's URL, title, alt text,
caption, the post it belongs to). `MediaLibrary` learns them from the first pass over the file
(`add_attachment`), then gives the importer a Wagtail image for a featured image (`featured`)
or for an image in a body (`find`, the `ImageFinder` that `bodies.convert_body` calls).

Files come from `--media-dir` (a copy of `wp-content/uploads`: the URL's path after
`/uploads/` is looked up there; a resized copy such as `photo-1024x683.jpg` falls back to the
original `photo.jpg`), or with `--fetch-media` from the URL itself. Nothing is ever fetched
otherwise. Each file becomes one Wagtail image (remembered as an `ImportedItem` of kind
"attachment", keyed on the attachment id, or on the file's path for an image no attachment
names), so a second import reuses it. What cannot be found, read or fetched is listed for the
report, never fatal. In a dry run nothing is written or copied: found files give an unsaved
image (`pk` None).
"""
