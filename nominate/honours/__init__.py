"""The honours register: 练兵比武 results and earlier titles, recorded once and linked to nominees."""
