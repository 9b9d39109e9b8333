"""The newsroom's roles: Writers draft and submit, Editors review and publish.

`apply_roles` is run by this app's data migration (with the migration's historical models) and
again by `load_demo`, so a database always has both groups with exactly these rights and one
review workflow, run by Editors, on every page.
"""

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions

WRITERS = "Writers"
EDITORS = "Editors"
REVIEW_WORKFLOW = "Editorial review"
REVIEW_TASK = "Editor review"

PAGE_PERMISSIONS = {
    WRITERS: ["add_page", "change_page"],
    EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    WRITERS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    EDITORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtailimages", "delete_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtaildocs", "delete_document"),
    ],
}
MODEL_PERMISSIONS = {
    WRITERS: [
        ("wagtailadmin", "access_admin"),
        ("newsroom", "view_author"),
        ("newsroom", "view_editorsnote"),
    ],
    EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("newsroom", "add_author"),
        ("newsroom", "change_author"),
        ("newsroom", "view_author"),
        ("newsroom", "add_editorsnote"),
        ("newsroom", "change_editorsnote"),
        ("newsroom", "view_editorsnote"),
        ("newsroom", "change_newsroomsettings"),
    ],
}


def _ensure_permissions_exist(apps: Apps) -> None:
    """Django creates permissions after `migrate`; a data migration needs them now."""
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)


def permissions(apps: Apps, keys: list[tuple[str, str]]) -> list:
    """The Permission rows for (app label, codename) pairs, created first if `migrate` has not
    yet (the other apps' roles use this from their data migrations too)."""
    _ensure_permissions_exist(apps)
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in keys
    ]


def apply_roles(apps: Apps) -> None:
    _ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    def permission(app_label: str, codename: str):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (WRITERS, EDITORS)}

    for name, group in groups.items():
        group.permissions.set([permission(*key) for key in MODEL_PERMISSIONS[name]])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=permission("wagtailcore", codename)
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for key in COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=permission(*key)
            )

    # Wagtail's starter "Moderators" group would blur who may publish: the roles above replace it.
    Group.objects.filter(name="Moderators").delete()

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    review_task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if review_task is None:
        review_task = GroupApprovalTask.objects.create(
            name=REVIEW_TASK, content_type=task_type, active=True
        )
    review_task.groups.set([groups[EDITORS]])

    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    if list(workflow.workflow_tasks.values_list("task_id", flat=True)) != [review_task.pk]:
        workflow.workflow_tasks.all().delete()
        WorkflowTask.objects.create(workflow=workflow, task=review_task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    # Wagtail's starter workflow pointed at the Moderators group; only ours stays active.
    Workflow.objects.exclude(pk=workflow.pk).update(active=False)
