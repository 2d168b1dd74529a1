"""Working days: China's official calendar (chinesecalendar) plus the admin's overrides."""
