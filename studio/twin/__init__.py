"""The video twin: a short video of the creator becomes their own talking face.

Built the way the classic video-realistic systems were (Video Rewrite, Bregler et al. 1997;
Ezzat, Geiger and Poggio 2002): the person's own mouth images are chosen from the footage and
stitched into an idle loop of the same footage.

- ``footage`` / ``analysis``: decode any common video and measure every frame once;
- ``coverage``: which mouth shapes the footage holds, in words a creator understands;
- ``idle_loop`` / ``atlas``: the loop and the mouth units cut from the footage;
- ``store``: the twin's parts in an avatar package, and ``TwinData`` loaded back;
- ``build``: all of it, with progress and Cancel, refusing bad videos in one line;
- ``select`` / ``plan``: which unit each frame shows (dynamic programming over the look-ahead);
- ``renderer``: the frame renderer.
"""
