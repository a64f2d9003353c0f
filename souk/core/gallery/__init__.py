"""The photo gallery shared by shops and products: one abstract model, its services, renditions.

models.py (GalleryPhoto, the abstract base each app's photo model subclasses), images.py (an
upload checked from its bytes and re-encoded; the WebP renditions), renditions.py (writing them
next to the photo), services.py (add, remove, move, reorder inside the caller's transaction),
tasks.py (renditions made in the background, for any gallery model by its label), forms.py,
templatetags/gallery.py and templates/gallery/ (the manager's page, drag-to-reorder included).

Nothing here knows shops or products: each app owns its model, its limits, its permission
check, its audit entries and whatever else a change of its photos must renew.
"""
