"""The Dashboard page (engagement analytics). Importing this package does not import pyqtgraph."""

from ui.dashboard.page import DashboardPage, dashboard_page

__all__ = ["DashboardPage", "dashboard_page"]
