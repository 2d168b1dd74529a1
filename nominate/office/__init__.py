"""The office's overview pages (各市报送, 差额评选, 评选日程): above the areas they read."""
