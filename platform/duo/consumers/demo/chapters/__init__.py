"""The steps of a branch's demo story, each a mixin of the story.

The story (:class:`duo.consumers.demo.story.BranchStory`) is made of these chapters.
"""
