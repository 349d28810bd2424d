from __future__ import unicode_literals

P={'B': -0.20018354094761964,
 'S': -1.7069432291605546,
 'E': -3.14e+100,
 'M': -3.14e+100}
